#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every command the documentation tells a user to type is run by a test, or says why not.

usage: doc-commands.py [--repo DIR] check
       doc-commands.py [--repo DIR] list

The documented commands are:
 - README: in an indented block, a line starting with "$ " (a line ending in a
   backslash continues on the next);
 - the .rst files under Documentation/ (all of them the series adds): in a literal
   block (after a paragraph ending in "::", or ".. code-block:: console", sh, shell,
   bash or none), a line starting with "$ " or, as root, "# ".
A command is its text after the prompt, continuation lines joined, a trailing
"  # comment" and a leading "sudo " (the "# " prompt's equivalent; the tests run as
root) dropped, and runs of blanks made one.

harness/doc-commands says, for each distinct command, one of (tab-separated; "#" starts
a comment line):
  exec <TAB> <command> <TAB> <file>
      <file> runs this very text: it must contain the command verbatim;
  form <TAB> <command> <TAB> <file> <TAB> <text>
      <file> runs it in another form (a variable for a path, a private tree): it must
      contain <text> verbatim;
  none <TAB> <command> <TAB> <reason>
      no test can run it here, and why (firmware, a reboot, the user's own machine).
check fails, one line each, on a documented command the file does not list, an entry
no document has any more, a malformed entry, and a file that does not contain what its
entry says; it ends with the counts of each kind. list prints "<where>\t<command>" for
every documented command. Exit status: 0 passed, 1 a check failed, 2 usage error.
"""
import os
import re
import sys

HARNESS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMENT = re.compile(r'\s+#(\s.*)?$')
LITERAL_DIRECTIVE = re.compile(r'\s*\.\. code-block::\s*(console|sh|shell|bash|shell-session|none)?\s*$')


def normalise(cmd):
    """The command as the table keys it: trailing comment and sudo dropped, blanks squeezed."""
    cmd = ' '.join(COMMENT.sub('', cmd).split())
    return cmd[5:] if cmd.startswith('sudo ') else cmd


def joined(lines, i, prompt_len):
    """The command starting at lines[i] (after its prompt), with its continuation lines;
    returns (text, index of its last line)."""
    text = lines[i].strip()[prompt_len:]
    while text.endswith('\\') and i + 1 < len(lines):
        i += 1
        text = text[:-1] + ' ' + lines[i].strip()
    return text, i


def readme_commands(path, rel):
    """(where, command) of the README's "$ " lines in indented blocks."""
    out = []
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(' ') and line.strip().startswith('$ '):
            text, last = joined(lines, i, 2)
            out.append((f'{rel}:{i + 1}', normalise(text)))
            i = last
        i += 1
    return out


def indent(line):
    return len(line) - len(line.lstrip(' '))


def rst_commands(path, rel):
    """(where, command) of the "$ " and "# " lines in an .rst file's literal blocks."""
    out = []
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        opens = LITERAL_DIRECTIVE.match(line) or (line.rstrip().endswith('::') and
                                                  not line.lstrip().startswith('.. '))
        if not opens:
            i += 1
            continue
        base = indent(line)
        i += 1
        # The directive's options, then the block: blank lines or lines indented deeper.
        while i < len(lines) and (not lines[i].strip() or indent(lines[i]) > base):
            s = lines[i].strip()
            if s.startswith('$ ') or s.startswith('# '):
                text, last = joined(lines, i, 2)
                out.append((f'{rel}:{i + 1}', normalise(text)))
                i = last
            i += 1
    return out


def documented(repo):
    """Every documented command: [(where, command)] in file order."""
    cmds = readme_commands(os.path.join(repo, 'README'), 'README')
    docs = []
    for d, _, files in os.walk(os.path.join(repo, 'Documentation')):
        docs += [os.path.join(d, f) for f in files if f.endswith('.rst')]
    for f in sorted(docs):
        cmds += rst_commands(f, os.path.relpath(f, repo))
    return cmds


def read_table(path, rel):
    """{command: (line number, kind, fields)}; malformed lines are returned as errors."""
    table, errors = {}, []
    for n, line in enumerate(open(path, encoding='utf-8').read().split('\n'), 1):
        if not line.strip() or line.startswith('#'):
            continue
        f = line.split('\t')
        want = {'exec': 3, 'form': 4, 'none': 3}.get(f[0])
        where = f'{rel}:{n}'
        if want is None or len(f) != want or not all(x.strip() for x in f):
            errors.append(f'{where}: not "exec|form|none <TAB> <command> <TAB> ..." '
                          f'with the fields of its kind: {line!r}')
            continue
        cmd = normalise(f[1])
        if cmd in table:
            errors.append(f'{where}: {cmd!r} is listed twice')
        table[cmd] = (where, f[0], f[2:])
    return table, errors


def contains(repo, rel, text):
    path = os.path.join(repo, rel)
    return os.path.isfile(path) and text in open(path, encoding='utf-8', errors='replace').read()


def check(repo):
    table, errors = read_table(os.path.join(repo, 'harness', 'doc-commands'), 'harness/doc-commands')
    cmds = documented(repo)
    seen = set()
    for where, cmd in cmds:
        if cmd in seen:
            continue
        seen.add(cmd)
        if cmd not in table:
            errors.append(f'{where}: `{cmd}`: no test runs it and harness/doc-commands does not list it')
            continue
        line, kind, fields = table[cmd]
        if kind == 'exec' and not contains(repo, fields[0], cmd):
            errors.append(f'{line}: `{cmd}` ({where}): {fields[0]} does not contain it')
        elif kind == 'form' and not contains(repo, fields[0], fields[1]):
            errors.append(f'{line}: `{cmd}` ({where}): {fields[0]} does not contain `{fields[1]}`')
    for cmd, (line, _, _) in sorted(table.items(), key=lambda kv: kv[1][0]):
        if cmd not in seen:
            errors.append(f'{line}: `{cmd}` is in no document any more')
    kinds = [table[c][1] for c in seen if c in table]
    for e in errors:
        print(e)
    print(f'{len(cmds)} documented commands, {len(seen)} distinct: {kinds.count("exec")} run as written, '
          f'{kinds.count("form")} run in another form, {kinds.count("none")} not runnable here, '
          f'{len(seen) - len(kinds)} unaccounted for; {len(errors)} error(s)')
    return 1 if errors else 0


def main(argv):
    repo = os.path.dirname(HARNESS)
    if len(argv) >= 2 and argv[0] == '--repo':
        repo, argv = argv[1], argv[2:]
    if argv == ['check']:
        return check(repo)
    if argv == ['list']:
        for where, cmd in documented(repo):
            print(f'{where}\t{cmd}')
        return 0
    print(__doc__.split('\n\n')[1], file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
