/**
 * Shell completion scripts for bash, zsh and fish. Each one asks netdiag itself for proposals
 * (`netdiag __complete [--describe] -- <words…>`, one per line), so every shell completes from
 * the same command definitions.
 * @module
 */

/** A shell netdiag has a completion script for. */
export type Shell = "bash" | "zsh" | "fish";

/** The shells netdiag has completion scripts for. */
export const SHELLS: readonly Shell[] = ["bash", "zsh", "fish"];

const BASH = `# bash completion for netdiag. Load it with:
#   source <(netdiag completions bash)
# or save it as ~/.local/share/bash-completion/completions/netdiag
_netdiag_complete() {
  local IFS=$'\\n'
  local words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  COMPREPLY=($("\${COMP_WORDS[0]}" __complete -- "\${words[@]}" 2>/dev/null))
}
complete -F _netdiag_complete netdiag
`;

const ZSH = `#compdef netdiag
# zsh completion for netdiag. Load it with:
#   source <(netdiag completions zsh)
# or save it as _netdiag in a directory of $fpath (before compinit runs).
_netdiag() {
  local -a lines proposals
  local line
  lines=("\${(@f)$("\${words[1]}" __complete --describe -- "\${(@Q)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    [[ -n "$line" ]] || continue
    if [[ "$line" == *$'\\t'* ]]; then
      proposals+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else
      proposals+=("\${line//:/\\\\:}")
    fi
  done
  (( \${#proposals} )) && _describe -t netdiag 'netdiag' proposals
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _netdiag "$@"
else
  compdef _netdiag netdiag
fi
`;

const FISH = `# fish completion for netdiag. Load it with:
#   netdiag completions fish | source
# or save it as ~/.config/fish/completions/netdiag.fish
function __netdiag_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    $tokens[1] __complete --describe -- $tokens[2..-1] "$current" 2>/dev/null
end
complete -c netdiag -f -a '(__netdiag_complete)'
`;

/** The completion script for `shell`. */
export function completionScript(shell: Shell): string {
  return shell === "bash" ? BASH : shell === "zsh" ? ZSH : FISH;
}

/** A proposal as Stricli's proposeCompletions returns it. */
export interface Proposal {
  readonly completion: string;
  readonly brief: string;
}

/**
 * Formats proposals one per line: the completion alone, or with `describe` followed by a tab
 * and its one-line brief (fish reads that directly; the zsh script turns it into `_describe`).
 */
export function formatProposals(proposals: readonly Proposal[], describe: boolean): string {
  return proposals.map((p) => {
    const brief = p.brief.split("\n")[0].replace(/\t/g, " ");
    return describe && brief ? `${p.completion}\t${brief}\n` : `${p.completion}\n`;
  }).join("");
}
