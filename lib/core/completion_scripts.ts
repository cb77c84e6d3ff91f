/**
 * Shell completion scripts for bash, zsh and fish. Each one asks netdiag itself for proposals
 * (`netdiag __complete [--describe] -- <words…>`, one per line), so every shell completes from
 * the same command definitions. A last line `:files` or `:dirs` asks the shell to complete file
 * or directory names there as well, with its own file completion.
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
  local rest word cur directive i
  local -a words=() out=() files=()
  # bash splits words at ":" and "=" (COMP_WORDBREAKS); glue back what was typed without a
  # space, so HOST:PORT reaches netdiag as one word.
  rest=\${COMP_LINE:0:COMP_POINT}
  rest=\${rest#*"\${COMP_WORDS[0]}"}
  for (( i = 1; i <= COMP_CWORD; i++ )); do
    word=\${COMP_WORDS[i]}
    if (( \${#words[@]} )) && [[ $rest != [[:space:]]* ]]; then
      words[\${#words[@]}-1]+=$word
    else
      words+=("$word")
    fi
    rest=\${rest#"\${rest%%[![:space:]]*}"}
    rest=\${rest#"$word"}
  done
  (( \${#words[@]} )) || words=("")
  cur=\${words[\${#words[@]}-1]}
  mapfile -t out < <("\${COMP_WORDS[0]}" __complete -- "\${words[@]}" 2>/dev/null)
  # A last line ":files" or ":dirs" asks for file or directory names as well.
  if (( \${#out[@]} )) && [[ \${out[\${#out[@]}-1]} == :files || \${out[\${#out[@]}-1]} == :dirs ]]; then
    directive=\${out[\${#out[@]}-1]}
    unset 'out[\${#out[@]}-1]'
  fi
  # bash replaces only the text after the last ":" of the word: drop what comes before it.
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    out=("\${out[@]#"\${cur%"\${cur##*:}"}"}")
  fi
  if [[ -n $directive ]]; then
    compopt -o filenames 2>/dev/null
    if [[ $directive == :dirs ]]; then
      mapfile -t files < <(compgen -d -- "$cur")
    else
      mapfile -t files < <(compgen -f -- "$cur")
    fi
  fi
  COMPREPLY=("\${out[@]}" "\${files[@]}")
}
complete -F _netdiag_complete netdiag
`;

const ZSH = `#compdef netdiag
# zsh completion for netdiag. Load it with:
#   source <(netdiag completions zsh)
# or save it as _netdiag in a directory of $fpath (before compinit runs).
_netdiag() {
  local -a lines proposals
  local line directive ret=1
  lines=("\${(@f)$("\${words[1]}" __complete --describe -- "\${(@Q)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    [[ -n "$line" ]] || continue
    if [[ "$line" == :files || "$line" == :dirs ]]; then
      directive=$line
    elif [[ "$line" == *$'\\t'* ]]; then
      proposals+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else
      proposals+=("\${line//:/\\\\:}")
    fi
  done
  (( \${#proposals} )) && _describe -t netdiag 'netdiag' proposals && ret=0
  if [[ "$directive" == :dirs ]]; then
    _files -/ && ret=0
  elif [[ "$directive" == :files ]]; then
    _files && ret=0
  fi
  return ret
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
    for line in ($tokens[1] __complete --describe -- $tokens[2..-1] "$current" 2>/dev/null)
        switch $line
            case :files
                __fish_complete_path "$current"
            case :dirs
                __fish_complete_directories "$current"
            case '*'
                printf '%s\\n' $line
        end
    end
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
