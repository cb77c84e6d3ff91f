/** The result of `netdiag hostname`. */
export interface HostnameResult {
  /** gethostname(). */
  readonly hostname: string;
  /** getfqdn(), with --fqdn. */
  readonly fqdn?: string;
  /** What gethostbyaddr(hostname) answered, with --fqdn. */
  readonly gethostbyaddr?:
    | {
      readonly address: string;
      readonly hostname: string;
      readonly aliases: readonly string[];
      /** Where the answer came from: `/etc/hosts:3` or `dns 10.0.0.53:53`. */
      readonly from: string;
    }
    | { readonly address: string | null; readonly error: string };
}
