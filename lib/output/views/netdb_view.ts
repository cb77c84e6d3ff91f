import type { ProtocolResult } from "../../core/protocols.ts";
import type { ServiceResult } from "../../core/services.ts";
import type { View } from "../emit.ts";

/** Human view of `service`: one `name port/proto aliases…` line per match, like getent. */
export const serviceView: View<ServiceResult> = {
  human: (r) =>
    r.entries.map((e) => [e.name, `${e.port}/${e.proto}`, ...e.aliases].join(" ") + "\n").join(""),
};

/** Human view of `proto`: one `name number aliases…` line per match, like getent. */
export const protocolView: View<ProtocolResult> = {
  human: (r) => r.entries.map((e) => [e.name, e.number, ...e.aliases].join(" ") + "\n").join(""),
};
