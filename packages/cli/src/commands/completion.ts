// keyhold completion bash|zsh|fish: a shell completion script built from the program's own commands and options.
import { Argument, type Command, type Option } from "commander";

// One command's place in the tree: its path of names ("keys create"), subcommands and options (with the globals').
type Node = { path: string; subcommands: { name: string; summary: string }[]; options: readonly Option[] };

function walk(command: Command, path: string[], globals: readonly Option[], into: Node[]): Node[] {
  const visible = command.commands.filter((c) => c.name() !== "help");
  into.push({
    path: path.join(" "),
    subcommands: visible.map((c) => ({ name: c.name(), summary: c.summary() || c.description() })),
    options: path.length === 0 ? globals : [...command.options, ...globals],
  });
  for (const sub of visible) {
    walk(sub, [...path, sub.name()], globals, into);
    for (const alias of sub.aliases()) walk(sub, [...path, alias], globals, into);
  }
  return into;
}

const longFlag = (o: Option) => o.long ?? o.short ?? "";
const takesValue = (o: Option) => o.required || o.optional;
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(nodes: Node[], valued: string[]): string {
  const cases = nodes
    .map((n) => {
      const words = [...n.subcommands.map((s) => s.name), ...n.options.map(longFlag), "--help"].join(" ");
      return `    ${quote(n.path)}) words=${quote(words)} ;;`;
    })
    .join("\n");
  return `# keyhold completion for bash: source <(keyhold completion bash), or save it in
# ~/.local/share/bash-completion/completions/keyhold
_keyhold() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" skip=0 i w words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case " ${valued.join(" ")} " in *" $w "*) skip=1; continue ;; esac
    [[ "$w" == -* ]] || path="\${path:+$path }$w"
  done
  case " ${valued.join(" ")} " in *" \${COMP_WORDS[COMP_CWORD-1]} "*) ((COMP_CWORD > 1)) && return 0 ;; esac
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _keyhold keyhold
`;
}

function zsh(nodes: Node[], valued: string[]): string {
  const cases = nodes
    .map((n) => {
      const subs = n.subcommands.map((s) => quote(`${s.name}:${s.summary.replace(/:/g, "\\:")}`)).join(" ");
      const opts = [...n.options.map(longFlag), "--help"].join(" ");
      return `    ${quote(n.path)}) subs=(${subs}); opts=(${opts}) ;;`;
    })
    .join("\n");
  return `#compdef keyhold
# keyhold completion for zsh: keyhold completion zsh > "\${fpath[1]}/_keyhold" (or source <(keyhold completion zsh))
_keyhold() {
  local path="" skip=0 w
  local -a subs opts
  for w in "\${(@)words[2,CURRENT-1]}"; do
    if ((skip)); then skip=0; continue; fi
    case " ${valued.join(" ")} " in *" $w "*) skip=1; continue ;; esac
    [[ "$w" == -* ]] || path="\${path:+$path }$w"
  done
  ((skip)) && return 0
  case "$path" in
${cases}
    *) return 0 ;;
  esac
  if [[ "$PREFIX" == -* ]]; then compadd -- "\${opts[@]}"; else _describe -t commands keyhold subs; fi
}
if [[ "\${funcstack[1]}" == _keyhold ]]; then _keyhold "$@"; else compdef _keyhold keyhold; fi
`;
}

function fish(nodes: Node[]): string {
  const lines = ["# keyhold completion for fish: keyhold completion fish > ~/.config/fish/completions/keyhold.fish"];
  lines.push("complete -c keyhold -f");
  // Whether the words typed so far are exactly `path` (options skipped).
  lines.push(
    "function __keyhold_path",
    "    set -l words (commandline -opc)[2..-1]",
    "    set -l path (string match -v -- '-*' $words)",
    '    test "$path" = "$argv"',
    "end",
  );
  for (const n of nodes) {
    const when = `'__keyhold_path ${n.path}'`;
    for (const s of n.subcommands)
      lines.push(`complete -c keyhold -n ${when} -a ${quote(s.name)} -d ${quote(s.summary)}`);
    for (const o of n.options) {
      if (!o.long) continue;
      const flag = o.long.replace(/^--/, "");
      lines.push(`complete -c keyhold -n ${when} -l ${flag}${takesValue(o) ? " -r" : ""} -d ${quote(o.description)}`);
    }
  }
  return lines.join("\n") + "\n";
}

// Adds `completion` to the program.
export function completionCommand(program: Command) {
  program
    .command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
    .addHelpText(
      "after",
      "\n  source <(keyhold completion bash)      # bash, or save it in ~/.local/share/bash-completion/completions/keyhold\n" +
        '  keyhold completion zsh > "${fpath[1]}/_keyhold"\n' +
        "  keyhold completion fish > ~/.config/fish/completions/keyhold.fish",
    )
    .action((shell: "bash" | "zsh" | "fish") => {
      const nodes = walk(program, [], program.options, []);
      const valued = [
        ...new Set(nodes.flatMap((n) => n.options.filter(takesValue).flatMap((o) => [o.long, o.short]))),
      ].filter((f): f is string => !!f);
      process.stdout.write(shell === "bash" ? bash(nodes, valued) : shell === "zsh" ? zsh(nodes, valued) : fish(nodes));
    });
}
