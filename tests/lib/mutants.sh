# shellcheck shell=bash
# Hand-written mutants a stage must kill. Each is one edit that breaks what one of the stage's
# checks guards, made on a scratch copy of the repository; the check, run in that copy, must fail.
# A mutant the stage lets live is a check that cannot see what it is named for. The lists are
# tests/<area>/mutants.sh. Source this after tests/lib/checks.sh, from the repository root:
#   kill_mutant NAME FILE OLD NEW -- COMMAND...
#       copies the repository (tracked and new files; the installed node_modules and tools/bin
#       are linked, not copied), replaces the first OLD in FILE with NEW there (the edit must
#       apply: a mutant that no longer matches its file fails too, so the list cannot rot), runs
#       COMMAND in the copy, and counts one check, passed when COMMAND fails.
#   mutant_control NAME -- COMMAND...
#       COMMAND must pass in an unmutated copy: without this, a command that fails for another
#       reason (a path, a missing tool) would "kill" every mutant. One per command a list uses.
#   mutant_replace FILE OLD NEW   the edit alone (the first OLD in FILE becomes NEW)
: "${check_log:?source tests/lib/checks.sh first}"

mutant_replace() {
    OLD="$2" NEW="$3" /usr/bin/python3 -c '
import os, sys
path = sys.argv[1]; text = open(path).read()
if os.environ["OLD"] not in text: sys.exit(f"{path}: the text to mutate is not there")
open(path, "w").write(text.replace(os.environ["OLD"], os.environ["NEW"], 1))' "$1"
}

mutant_copy() { # mutant_copy DIR: a scratch copy of the repository in DIR
    local dir="$1" linked
    rm -rf "$dir" && mkdir -p "$dir"
    git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' path; do [[ -e "$path" ]] && printf '%s\0' "$path"; done |
        tar --null -T - -cf - | tar -C "$dir" -xf -
    for linked in tests/node_modules tests/pipelines/node_modules tests/terraform/node_modules tools/bin; do
        [[ -e "$linked" ]] && ln -s "$PWD/$linked" "$dir/$linked"
    done
    return 0
}

# In a subshell, so COMMAND may be one of the stage's functions, with its variables.
mutant_fails_in() { local copy="$1"; shift; (cd "$copy" && ! "$@"); }

mutant_control() { # mutant_control NAME -- COMMAND...
    local name="$1"
    shift
    [[ "$1" == -- ]] && shift
    local copy="${TMPDIR:-/tmp}/appraise-mutant-$$"
    mutant_copy "$copy"
    check "control: $name passes on the unmutated copy" mutant_passes_in "$copy" "$@"
    rm -rf "$copy"
}
mutant_passes_in() { local copy="$1"; shift; (cd "$copy" && "$@"); }

kill_mutant() { # kill_mutant NAME FILE OLD NEW -- COMMAND...
    local name="$1" file="$2" old="$3" new="$4"
    shift 4
    [[ "$1" == -- ]] && shift
    local copy="${TMPDIR:-/tmp}/appraise-mutant-$$"
    mutant_copy "$copy"
    if ! mutant_replace "$copy/$file" "$old" "$new" >>"$check_log" 2>&1; then
        check "mutant killed: $name (the edit applies to $file)" false
    else
        check "mutant killed: $name" mutant_fails_in "$copy" "$@"
    fi
    rm -rf "$copy"
}
