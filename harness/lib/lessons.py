#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The lessons in lessons/: parse them, check their code references, turn their command
blocks into scripts, run the host blocks, compare transcripts, and check that every
translation is in step with its English source.

usage: lessons.py refs <lesson>...
       lessons.py refs-in <repository> <lesson>...
       lessons.py guest-scripts <out dir> <lesson>...
       lessons.py check <console log> <kdir> <kernel ARCH> <CROSS_COMPILE> <lesson>...
       lessons.py drift [--repo DIR] <translated file>...
       lessons.py stamp <translated file>...
       lessons.py selftest
       lessons.py selftest-code

A lesson is a Markdown file. Its command blocks are fenced blocks whose info string is
`guest` (run in the booted guest, busybox sh, as root) or `host` (run on the host in
a scratch copy of the repository's kernel files, bash):

    ```guest
    # cat /sys/module/lkmdemo/parameters/whom
    you
    ```

In a guest block a line starting with "# " is a command, in a host block "$ "; the
lines after it, up to the next command or the end of the block, are its expected
output. A command line ending in a backslash continues on the next line. All the
commands of one lesson run in one shell, in order (so `exec 3<` or `cd` carry over),
starting from a fresh state (none of our modules loaded, kernel log cleared). A line
"..." in the expected output stands for any number of lines. A lesson with the
comment "<!-- lessons: runs last: <why> -->" runs after all the others (one that
oopses the kernel).

Host blocks get KDIR (the kernel build directory), KSRC (its source tree), ARCH and
CROSS_COMPILE in their environment, and GUEST_CONSOLE, a file with what the lesson's
guest commands printed on the console (kernel messages included: an oops to decode).
They run after the guest's boot, in a scratch copy of drivers/misc/lkmdemo,
include/uapi/linux and lessons/examples.

Before comparing, both sides are normalised (normalise()): kernel log timestamps,
addresses, module sizes in lsmod and /proc/modules, minor numbers, dates of ls -l,
pids and kernel releases are replaced by placeholders, and runs of blanks become one.

Code references: every `file:symbol` or `file:"text"` in backquotes (file relative
to the repository top) must name an existing file. A symbol must be a name of the
file's code: comments and string literals do not count (C: /* */, //, "..." and
'.'; shell, make, Kconfig: # comments). A "text" may be anywhere in the file. Each
lesson must have at least one reference or quoted block.

Quoted code: a fenced block whose info string names a file quotes it, and must be
exactly the text of that file it names:

    ```c file=lessons/examples/hello-2/hello-2.c             the whole file
    ```c file=drivers/misc/lkmdemo/main.c symbol=lkmdemo_exit the definition
    ```make file=lessons/examples/hello-1/Makefile lines=1-3  lines 1 to 3

The first word is the language (for the reader's highlighter). A symbol= is the
definition of that name in C: a function (its first line to its closing brace), a
struct, union or enum, a variable with its initialiser, a #define with its
continuation lines, or else a top-level macro call starting the line (module_init,
MODULE_LICENSE...); in a Makefile, a rule or an assignment. A name that is only in a
comment, a string or a call inside a function is not a definition.

check prints one line per lesson and kind, "<pass|fail|skip>\\t<name>", on stdout, and
the readable unified diff of every failure on stderr. Exit status 1 if one failed.

drift: a translated file names the English file and the commit of this repository it
translates, in a line "Translated-from: <path> @ <commit>" (in an .rst file inside a
comment). It has drifted when a later commit changed the English file, or when a
translated lesson's command blocks are not exactly those of its English lesson.
stamp writes the English file's last commit into a translation: run it after
bringing the translation up to date.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HARNESS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(HARNESS)
PROMPT = {'guest': '# ', 'host': '$ '}
MARK_CMD = 'LKMDEMO-CMD'
REF_RE = re.compile(r'`([A-Za-z0-9_./-]+):("[^"`]+"|[A-Za-z0-9_$]+)`')
TRANS_RE = re.compile(r'Translated-from:\s*(\S+)\s*@\s*([0-9a-f]{7,40})')


class LessonError(Exception):
    pass


def lesson_name(path):
    """en/01-what-is-a-module: the language directory and the file name without suffix."""
    return os.path.basename(os.path.dirname(os.path.abspath(path))) + '/' + \
        os.path.splitext(os.path.basename(path))[0]


def parse(path):
    """The command blocks of a lesson: [(kind, [(command, [expected line...])...])...]."""
    blocks = []
    kind = None
    cmds = None
    cont = False
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    for n, line in enumerate(lines, 1):
        if kind is None:
            m = re.match(r'^```(guest|host)\s*$', line)
            if m:
                kind, cmds = m.group(1), []
            continue
        if line.startswith('```'):
            if not cmds:
                raise LessonError(f'{path}:{n}: empty {kind} block')
            blocks.append((kind, cmds))
            kind = None
            continue
        if cont:
            cmds[-1][0] += '\n' + line
            cont = line.endswith('\\')
            continue
        if line.startswith(PROMPT[kind]):
            cmds.append([line[len(PROMPT[kind]):], []])
            cont = line.endswith('\\')
        elif not cmds:
            raise LessonError(f'{path}:{n}: output before the first command of a {kind} block '
                              f'(commands start with "{PROMPT[kind]}")')
        else:
            cmds[-1][1].append(line)
    if kind is not None:
        raise LessonError(f'{path}: unterminated {kind} block')
    return blocks


def commands(path, kind):
    return [c for k, cmds in parse(path) if k == kind for c in cmds]


# ---- references ---------------------------------------------------------------------

def strip_code(path, text):
    """The text with comments and string literals blanked out (newlines kept), so
    that a name found in it is a name of the code."""
    base = os.path.basename(path)
    if re.search(r'\.(c|h)$', base):
        def blank(m):
            return re.sub(r'[^\n]', ' ', m.group(0))
        return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                      blank, text, flags=re.S)
    if base.endswith('.rs'):
        # As C, but a quote is a lifetime ('a) as often as a character: only strings.
        def blank(m):
            return re.sub(r'[^\n]', ' ', m.group(0))
        return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"', blank, text, flags=re.S)
    if re.search(r'\.(sh|py)$|^(Makefile|Kbuild|Kconfig)$|\.config$', base) or \
            text.startswith('#!'):
        return re.sub(r'(^|\s)#[^\n]*', lambda m: m.group(1), text)
    return text


def name_in_code(path, text, sym):
    return re.search(r'(?<![A-Za-z0-9_$])' + re.escape(sym) + r'(?![A-Za-z0-9_$])',
                     strip_code(path, text)) is not None


def c_definition(text, sym):
    """(first, last) 0-based line numbers of the definition of sym in C text, or None."""
    code = strip_code('x.c', text)
    lines = code.split('\n')
    tok = r'(?<![A-Za-z0-9_])' + re.escape(sym) + r'(?![A-Za-z0-9_])'

    def extent(i, col, until):
        """From line i, column col: to the end of the braces, or to the ';' at depth 0."""
        depth = 0
        opened = False
        for j in range(i, len(lines)):
            for ch in lines[j][col if j == i else 0:]:
                if ch in '{(':
                    depth += 1
                    opened = opened or ch == '{'
                elif ch in '})':
                    depth -= 1
                    if depth == 0 and ch == '}' and until == '}':
                        return j
                elif ch == ';' and depth == 0:
                    return j
        return None

    # #define, with its continuation lines
    for i, line in enumerate(lines):
        if re.match(r'#\s*define\s+' + re.escape(sym) + r'\b', line):
            j = i
            while j + 1 < len(lines) and text.split('\n')[j].endswith('\\'):
                j += 1
            return i, j
    # a definition starting at column 0: function, struct/union/enum, variable
    for i, line in enumerate(lines):
        if not line or line[0] in ' \t#}' or not re.search(tok, line):
            continue
        m = re.search(r'\b(?:struct|union|enum)\s+' + re.escape(sym) + r'\s*\{', line)
        if m:
            return i, extent(i, m.start(), ';')
        m = re.search(tok + r'\s*\(', line)
        if m:
            # a function definition: the next '{' comes before any ';'
            rest = '\n'.join([line[m.end():]] + lines[i + 1:])
            b, sc = rest.find('{'), rest.find(';')
            if b >= 0 and (sc < 0 or b < sc) and not re.match(r'\s*' + re.escape(sym), line):
                return i, extent(i, m.end() - 1, '}')
            continue
        m = re.search(tok + r'\s*(\[[^\]]*\]\s*)?=', line)
        if m and not line.startswith(sym):
            return i, extent(i, m.start(), ';')
    # a top-level macro call: module_init(...);
    for i, line in enumerate(lines):
        if re.match(re.escape(sym) + r'\s*\(', line):
            return i, extent(i, 0, ';')
    return None


def make_definition(text, sym):
    lines = text.split('\n')
    for i, line in enumerate(lines):
        if re.match(re.escape(sym) + r'\s*(:=|\+=|\?=|=)', line):
            j = i
            while j + 1 < len(lines) and lines[j].endswith('\\'):
                j += 1
            return i, j
        if re.match(re.escape(sym) + r'\s*:(?!=)', line):
            j = i
            while j + 1 < len(lines) and lines[j + 1].startswith('\t'):
                j += 1
            return i, j
    return None


def rust_definition(text, sym):
    """(first, last) 0-based line numbers of the item sym in Rust text: a fn, struct,
    enum, trait, const or static, or a macro call sym! { ... } (module!), with the
    attributes (#[...]) right above it; its last line is the one that closes it at its
    own indentation. None if there is none."""
    code = strip_code('x.rs', text).split('\n')
    item = re.compile(r'^(\s*)(?:pub(?:\([a-z]+\))?\s+)?(?:(?:const\s+|unsafe\s+|extern\s+"C"\s+)*fn|struct|enum|'
                      r'trait|const|static)\s+' + re.escape(sym) + r'\b|^(\s*)' + re.escape(sym) + r'!\s*\{')
    for i, line in enumerate(code):
        m = item.match(line)
        if not m:
            continue
        indent = m.group(1) if m.group(1) is not None else m.group(2)
        first = i
        while first > 0 and re.match(re.escape(indent) + r'#\[', code[first - 1]):
            first -= 1
        j = i
        if not re.search(r'[{(]\s*$', code[i]) and code[i].rstrip().endswith(';'):
            return first, i
        while j + 1 < len(code) and not re.match(re.escape(indent) + r'[})\]]', code[j + 1]):
            j += 1
        return first, (j + 1 if j + 1 < len(code) else None)
    return None


def quoted_text(repo, fname, spec):
    """The lines a quote names, or raise LessonError."""
    full = os.path.join(repo, fname)
    if not os.path.isfile(full):
        raise LessonError(f'{fname}: no such file')
    with open(full, encoding='utf-8', errors='replace') as f:
        text = f.read()
    lines = text.split('\n')
    if text.endswith('\n'):
        lines.pop()
    if 'lines' in spec:
        m = re.fullmatch(r'(\d+)-(\d+)', spec['lines'])
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)) <= len(lines):
            raise LessonError(f'{fname}: lines={spec["lines"]} is not a range of its {len(lines)} lines')
        return lines[int(m.group(1)) - 1:int(m.group(2))]
    if 'symbol' in spec:
        sym = spec['symbol']
        if re.search(r'\.(c|h)$', fname):
            span = c_definition(text, sym)
        elif fname.endswith('.rs'):
            span = rust_definition(text, sym)
        else:
            span = make_definition(text, sym)
        if not span or span[1] is None:
            raise LessonError(f'{fname}: no definition of {sym} (a comment, a string or a call is not one)')
        return lines[span[0]:span[1] + 1]
    return lines


def code_blocks(path):
    """The quoting blocks of a lesson: [(line number, language, {key: value}, [line...])]."""
    res = []
    cur = None
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f.read().split('\n'), 1):
            if cur is None:
                m = re.match(r'^```([A-Za-z0-9_+-]*)\s+(.*\bfile=.*)$', line)
                if m:
                    spec = dict(kv.split('=', 1) for kv in m.group(2).split() if '=' in kv)
                    unknown = set(spec) - {'file', 'symbol', 'lines'}
                    if unknown or ('symbol' in spec and 'lines' in spec):
                        raise LessonError(f'{path}:{n}: a quote takes file= and one of symbol= or lines= '
                                          f'(not {" ".join(sorted(unknown)) or "both"})')
                    cur = (n, m.group(1), spec, [])
                elif line.startswith('```') and line.strip() != '```':
                    cur = 'skip'
            elif line.startswith('```'):
                if cur != 'skip':
                    res.append(cur)
                cur = None
            elif cur != 'skip':
                cur[3].append(line)
    return res


def check_quotes(path, repo=REPO):
    """(number of quotes, [problem...]) for the quoted blocks of a lesson."""
    bad = []
    blocks = code_blocks(path)
    for n, lang, spec, body in blocks:
        where = f'{lesson_name(path)}:{n}'
        try:
            want = quoted_text(repo, spec['file'], spec)
        except LessonError as e:
            bad.append(f'{where}: {e}')
            continue
        if body != want:
            what = spec.get('symbol') or spec.get('lines') or 'the whole file'
            bad.append(f'{where}: the block differs from {spec["file"]} ({what}):\n' + '\n'.join(
                '    ' + d for d in difflib.unified_diff(body, want, 'lesson', spec['file'], lineterm='', n=1)))
    return len(blocks), bad


def check_refs(path, repo=REPO):
    """(number of references, [problem...]) for the `file:symbol` of a lesson."""
    bad = []
    n = 0
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for fname, sym in REF_RE.findall(text):
        full = os.path.join(repo, fname)
        if '/' not in fname and not os.path.isfile(full):
            continue        # `a:b` that is not a path, e.g. a time
        n += 1
        quoted = sym.startswith('"')
        sym = sym.strip('"')
        if not os.path.isfile(full):
            bad.append(f'{lesson_name(path)}: {fname}: no such file (for {sym})')
            continue
        with open(full, errors='replace') as f:
            body = f.read()
        if sym not in body:
            bad.append(f'{lesson_name(path)}: {fname} does not contain "{sym}"')
        elif not quoted and not name_in_code(fname, body, sym):
            bad.append(f'{lesson_name(path)}: {fname} names {sym} only in a comment or a string')
    return n, bad


def refs(paths, repo=REPO):
    bad = total = quotes = 0
    for p in paths:
        n, problems = check_refs(p, repo)
        q, qproblems = check_quotes(p, repo)
        for line in problems + qproblems:
            print(line)
        bad += len(problems) + len(qproblems)
        if not n and not q:
            print(f'{lesson_name(p)}: no `file:symbol` reference to the code and no quoted code')
            bad += 1
        total += n
        quotes += q
    print(f'lessons: {len(paths)} lessons, {total} code references, {quotes} quoted blocks, {bad} broken')
    return 1 if bad or not paths else 0


# ---- scripts and transcripts --------------------------------------------------------

def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def script(cmds, shell):
    """One shell script running the commands in order, each after a marker line."""
    out = [f'# generated by harness/lib/lessons.py for {shell}', 'exec 2>&1']
    for i, (cmd, _) in enumerate(cmds, 1):
        out.append(f'echo; echo {MARK_CMD} {i}')
        out.append(f'eval {sh_quote(cmd)}')
    out.append(f'echo; echo {MARK_CMD} end')
    return '\n'.join(out) + '\n'


def split_transcript(text, n):
    """The outputs of the n commands from the text between the markers, or None."""
    outs = []
    cur = None
    for line in text.split('\n'):
        m = re.match(rf'^{MARK_CMD} (\d+|end)$', line)
        if m:
            if cur is not None:
                if cur and cur[-1] == '':
                    cur.pop()       # the newline the marker's echo added
                outs.append(cur)
            if m.group(1) == 'end':
                return outs if len(outs) == n else None
            cur = []
        elif cur is not None:
            cur.append(line)
    if cur is not None:
        outs.append(cur + ['(the lesson stopped here: timeout or shell exit)'])
    return outs


RUNS_LAST = '<!-- lessons: runs last'


def runs_last(path):
    """A lesson that leaves the kernel in a state the others must not start from (an
    oops) says so in a comment; its guest commands run after every other lesson's."""
    with open(path, encoding='utf-8') as f:
        return RUNS_LAST in f.read()


def guest_scripts(outdir, paths):
    os.makedirs(outdir, exist_ok=True)
    names = []
    for p in sorted(paths, key=runs_last):
        cmds = commands(p, 'guest')
        if not cmds:
            continue
        name = lesson_name(p)
        fname = name.replace('/', '.') + '.sh'
        with open(os.path.join(outdir, fname), 'w') as f:
            f.write(script(cmds, name))
        names.append(f'{fname} {name}')
    with open(os.path.join(outdir, 'index'), 'w') as f:
        f.write(''.join(n + '\n' for n in names))
    return 0


def console_lessons(console):
    """{lesson name: transcript text} from the guest's console log."""
    res = {}
    cur = None
    with open(console, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n').replace('\r', '')
            m = re.match(r'^LKMDEMO-LESSON-(BEGIN|END) (\S+)', line)
            if m and m.group(1) == 'BEGIN':
                cur = m.group(2)
                res[cur] = []
            elif m:
                cur = None
            elif cur is not None:
                res[cur].append(line)
    return {k: '\n'.join(v) for k, v in res.items()}


# ---- normalisation and comparison ---------------------------------------------------

NORMALISE = [
    # the runner's eval: an interactive shell says "sh: ...", the script "<file>: eval: line N: ..."
    (re.compile(r'^\S*\.sh: eval: line \d+: ', re.M), 'sh: '),
    # kernel log timestamps: [   12.345678]
    (re.compile(r'\[\s*\d+\.\d+\]'), '[TIME]'),
    # kernel releases: 7.2.13, 6.1.0-rc1+, 5.10.262-lkmdemo
    (re.compile(r'\b[2-9]\.\d+\.\d+(?:-[A-Za-z0-9_.+-]+)?\+?'), 'KREL'),
    # lsmod and /proc/modules: name, size, use count
    (re.compile(r'^([A-Za-z0-9_]+)[ \t]+\d+[ \t]+(-?\d+)\b', re.M), r'\1 SIZE \2'),
    # addresses
    (re.compile(r'\b0x[0-9a-fA-F]+\b'), 'ADDR'),
    (re.compile(r'\b[0-9a-f]{16}\b|\b[0-9a-f]{8}\b'), 'ADDR'),
    # device numbers: minors are dynamic
    (re.compile(r'\b10,[ \t]*\d+\b'), '10, MINOR'),
    (re.compile(r'^10:\d+$', re.M), '10:MINOR'),
    # dates in ls -l
    (re.compile(r'\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+\d+[ \t]+(?:\d\d:\d\d|\d{4})\b'),
     'DATE'),
    # pids
    (re.compile(r'\bpid \d+\b'), 'pid PID'),
    # lsmod's header ends with the taint flags (a KUnit test module taints for good)
    (re.compile(r'^(Module[ \t]+Size[ \t]+Used by).*$', re.M), r'\1'),
    # runs of blanks
    (re.compile(r'[ \t]+'), ' '),
    (re.compile(r' $', re.M), ''),
]


def normalise(text):
    for rx, rep in NORMALISE:
        text = rx.sub(rep, text)
    return text


def matches(expected, actual):
    """Normalised expected lines (with "..." for any lines) against actual lines."""
    rx = ''
    for line in expected:
        rx += r'(?:[^\n]*\n)*?' if line == '...' else re.escape(line) + r'\n'
    return re.fullmatch(rx, ''.join(a + '\n' for a in actual)) is not None


def compare(name, cmds, outs, prompt):
    """True if every command's output matches; else print a unified diff."""
    exp_all, act_all, ok = [], [], True
    for i, (cmd, exp) in enumerate(cmds):
        out = outs[i] if outs is not None and i < len(outs) else ['(no output: the command did not run)']
        e = normalise('\n'.join(exp)).split('\n') if exp else []
        a = normalise('\n'.join(out)).split('\n') if out else []
        head = [prompt + line for line in cmd.split('\n')]
        if not matches(e, a):
            ok = False
        exp_all += head + e
        act_all += head + a
    if not ok:
        print(f'--- {name}: the lesson says / +++ the kernel said (normalised)', file=sys.stderr)
        sys.stderr.writelines(line + '\n' for line in difflib.unified_diff(
            exp_all, act_all, f'{name} (lesson)', f'{name} (run)', lineterm='', n=2))
    return ok


def host_run(path, kdir, arch, cross, guest_text=None):
    """Run the host commands of a lesson in a scratch copy; return (cmds, outputs).
    guest_text, what the lesson's guest commands printed on the console (kernel
    messages included), is in the file $GUEST_CONSOLE."""
    cmds = commands(path, 'host')
    if not cmds:
        return cmds, None
    tmp = tempfile.mkdtemp(prefix='lkmdemo-lesson.')
    try:
        for d in ('drivers/misc/lkmdemo', 'include/uapi/linux', 'lessons/examples'):
            # the sources only: nothing a build of the learner's left in the repository
            shutil.copytree(os.path.join(REPO, d), os.path.join(tmp, d), ignore=shutil.ignore_patterns(
                '*.ko', '*.o', '*.mod', '*.mod.c', '.*.cmd', 'Module.symvers', 'modules.order', '.tmp*'))
        # the hunks a user applies by hand, at the top as in the repository
        for f in ('Kconfig.patch', 'Makefile.patch'):
            shutil.copy(os.path.join(REPO, f), tmp)
        ksrc = os.path.realpath(os.path.join(kdir, 'source'))
        console = os.path.join(tmp, '.guest-console.txt')
        with open(console, 'w') as f:
            f.write(guest_text or '')
        env = dict(os.environ, KDIR=kdir, KSRC=ksrc, ARCH=arch, CROSS_COMPILE=cross, LC_ALL='C',
                   GUEST_CONSOLE=console)
        env.pop('MAKEFLAGS', None)
        r = subprocess.run(['bash', '-c', script(cmds, lesson_name(path))], cwd=tmp, env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=600)
        text = r.stdout.decode(errors='replace').replace(tmp + '/', '').replace(tmp, '.')
        return cmds, split_transcript(text, len(cmds))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check(console, kdir, karch, cross, paths):
    seen = console_lessons(console) if console else {}
    bad = 0
    # Host commands are run once per set: a translated lesson has exactly the commands
    # of its English one (drift checks that), and runs them in the same environment.
    host_done = {}
    for p in paths:
        name = lesson_name(p)
        try:
            g = commands(p, 'guest')
        except LessonError as e:
            print(f'fail\t{name}: {e}')
            bad += 1
            continue
        if g:
            if name not in seen:
                print(f'fail\t{name}: guest commands ({len(g)}): no transcript in the console log')
                bad += 1
            elif compare(name, g, split_transcript(seen[name], len(g)), '# '):
                print(f'pass\t{name}: guest commands ({len(g)}) as the lesson says')
            else:
                print(f'fail\t{name}: guest commands ({len(g)}) differ from the lesson')
                bad += 1
        key = tuple(c for c, _ in commands(p, 'host'))
        if key and key in host_done:
            cmds, outs = commands(p, 'host'), host_done[key]
        else:
            cmds, outs = host_run(p, kdir, karch, cross, seen.get(name))
            host_done[key] = outs
        if cmds:
            if compare(name + ' (host)', cmds, outs, '$ '):
                print(f'pass\t{name}: host commands ({len(cmds)}) as the lesson says')
            else:
                print(f'fail\t{name}: host commands ({len(cmds)}) differ from the lesson')
                bad += 1
    return 1 if bad else 0


# ---- translations -------------------------------------------------------------------

def git(args, repo):
    return subprocess.run(['git', '-C', repo] + args, capture_output=True, text=True)


def drift(paths, repo):
    bad = 0
    for p in paths:
        rel = os.path.relpath(os.path.abspath(p), repo)
        with open(p, encoding='utf-8') as f:
            m = TRANS_RE.search(f.read())
        if not m:
            print(f'{rel}: no "Translated-from: <English file> @ <commit>" line')
            bad += 1
            continue
        src, commit = m.groups()
        if not os.path.isfile(os.path.join(repo, src)):
            print(f'{rel}: translates {src}, which does not exist')
            bad += 1
            continue
        if git(['merge-base', '--is-ancestor', commit, 'HEAD'], repo).returncode:
            print(f'{rel}: commit {commit} is not in the history of HEAD')
            bad += 1
            continue
        later = git(['log', '--format=%h %s', f'{commit}..HEAD', '--', src], repo).stdout.strip()
        dirty = git(['status', '--porcelain', '--', src], repo).stdout.strip()
        if later or dirty:
            print(f'{rel}: {src} changed after {commit[:12]}, the commit it translates:')
            for line in later.split('\n') if later else []:
                print(f'    {line}')
            if dirty:
                print(f'    (uncommitted changes to {src})')
            print(f'    see: git diff {commit[:12]} -- {src}')
            bad += 1
        elif src.endswith('.md') and p.endswith('.md') and parse(os.path.join(repo, src)) != parse(p):
            print(f'{rel}: its command blocks differ from those of {src}')
            bad += 1
        else:
            print(f'{rel}: in step with {src} @ {commit[:12]}')
    return 1 if bad or not paths else 0


def stamp(paths, repo):
    """Name the English file's last commit in each translation (after updating it)."""
    for p in paths:
        with open(p, encoding='utf-8') as f:
            text = f.read()
        m = TRANS_RE.search(text) or re.search(r'Translated-from:\s*(\S+)\s*@\s*(\S+)', text)
        if not m:
            print(f'{p}: no "Translated-from: <English file> @ <commit>" line', file=sys.stderr)
            return 1
        commit = git(['log', '-1', '--format=%H', '--', m.group(1)], repo).stdout.strip()
        if not commit:
            print(f'{p}: {m.group(1)} has no commit', file=sys.stderr)
            return 1
        text = text[:m.start(2)] + commit + text[m.end(2):]
        with open(p, 'w', encoding='utf-8') as f:
            f.write(text)
        print(f'{p}: translates {m.group(1)} @ {commit[:12]}')
    return 0


SELFTEST_LESSON = """# selftest
`harness/lib/lessons.py:normalise`
```guest
# echo hello
hello
# x=5; printf 'no newline'
no newline
# echo "$x [   1.234567] at 0xffffffffc0001234, pid 77"
5 [   9.999999] at 0xffffffffc0009999, pid 12
# echo a; echo b; echo c
a
...
c
```
"""


def selftest():
    """The comparison passes on a true transcript and fails, with a diff, on a false one."""
    tmp = tempfile.mkdtemp(prefix='lkmdemo-lessons-selftest.')
    bad = 0
    try:
        os.makedirs(os.path.join(tmp, 'en'))
        for case, text in (('true', SELFTEST_LESSON),
                           ('false', SELFTEST_LESSON.replace('\nc\n```', '\nd\n```'))):
            lesson = os.path.join(tmp, 'en', '01-selftest.md')
            with open(lesson, 'w') as f:
                f.write(text)
            guest_scripts(os.path.join(tmp, 'out'), [lesson])
            r = subprocess.run(['sh', os.path.join(tmp, 'out', 'en.01-selftest.sh')], cwd=tmp,
                               capture_output=True, text=True)
            console = os.path.join(tmp, 'console.log')
            with open(console, 'w') as f:
                f.write('LKMDEMO-LESSON-BEGIN en/01-selftest\r\n' + r.stdout.replace('\n', '\r\n') +
                        'LKMDEMO-LESSON-END en/01-selftest rc=0\r\n')
            g = commands(lesson, 'guest')
            saved, sys.stderr = sys.stderr, open(os.devnull, 'w')
            try:
                ok = compare('en/01-selftest', g, split_transcript(console_lessons(console)['en/01-selftest'],
                                                                   len(g)), '# ')
            finally:
                sys.stderr.close()
                sys.stderr = saved
            if ok != (case == 'true'):
                print(f'FAIL the {case} transcript was judged {"equal" if ok else "different"}')
                bad += 1
            else:
                print(f'ok   the {case} transcript was judged {"equal" if ok else "different"}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


def selftest_code():
    """The reference and quote checks on a scratch copy of the repository: the lessons
    pass as they are; they fail after a quoted function changes in its source file, and
    after a lesson names a symbol that its file has only in a comment or a string."""
    tmp = tempfile.mkdtemp(prefix='lkmdemo-lessons-code.')
    bad = 0

    def run(repo, paths):
        out = subprocess.run([sys.executable, os.path.abspath(__file__), 'refs-in', repo] + paths,
                             capture_output=True, text=True)
        return out.returncode, out.stdout

    def expect(what, rc, out, want_fail, needle):
        nonlocal bad
        ok = (rc != 0) == want_fail and (not want_fail or needle in out)
        print(f'{"ok  " if ok else "FAIL"} {what}: {"failed" if rc else "passed"}')
        for line in out.strip().split('\n') if want_fail or not ok else []:
            print(f'       {line}')
        bad += not ok

    try:
        repo = os.path.join(tmp, 'repo')
        shutil.copytree(REPO, repo, ignore=shutil.ignore_patterns('.git', '*.o', '*.ko'))
        lessons = sorted(os.path.join(repo, 'lessons', 'en', f) for f in
                         os.listdir(os.path.join(repo, 'lessons', 'en')) if re.match(r'\d\d-.*\.md$', f))
        rc, out = run(repo, lessons)
        expect('the lessons as they are', rc, out, False, '')
        # 1. a scratch edit of a quoted function, in C and in Rust (lesson 25,
        #    lkmdemo_rs.rs); the Rust one also renamed, so that only a comment names it
        def first_quote(what, wanted):
            for p in lessons:
                for n, lang, spec, body in code_blocks(p):
                    if 'symbol' in spec and len(body) > 2 and wanted(spec['file'], body):
                        return p, spec, body
            nonlocal bad
            print(f'FAIL no lesson quotes {what} by symbol=')
            bad += 1
            return None

        def changed_after_quote(target, line):
            p, spec, body = target
            src = os.path.join(repo, spec['file'])
            with open(src) as f:
                text = f.read()
            indent = re.match(r'\s*', body[1]).group(0)
            edited = text.replace(body[0] + '\n' + body[1] + '\n',
                                  body[0] + '\n' + body[1] + '\n' + indent + line + '\n', 1)
            assert edited != text
            with open(src, 'w') as f:
                f.write(edited)
            rc, out = run(repo, [p])
            expect(f'{spec["file"]}: {spec["symbol"]} changed after {lesson_name(p)} quoted it', rc, out, True,
                   'the block differs')
            with open(src, 'w') as f:
                f.write(text)
            return src, text

        target = first_quote('a C function', lambda f, body: f.endswith('.c'))
        if target:
            changed_after_quote(target, 'pr_info("a later change\\n");')
        target = first_quote('a Rust fn', lambda f, body: f.endswith('.rs') and body[0].lstrip().startswith('fn '))
        if target:
            p, spec, body = target
            src, text = changed_after_quote(target, 'pr_info!("a later change\\n");')
            with open(src, 'w') as f:
                f.write(text.replace('fn ' + spec['symbol'] + '(', 'fn renamed_' + spec['symbol'] + '(', 1)
                        + '\n// ' + spec['symbol'] + '() was here\n')
            rc, out = run(repo, [p])
            expect(f'{spec["file"]}: {spec["symbol"]} only in a comment', rc, out, True, 'no definition')
            with open(src, 'w') as f:
                f.write(text)
        # 2. a name only a comment has (lesson 12 once named sysfs.c:ATTRIBUTE_GROUPS),
        #    and one only a string has
        for what, ref, needle in (
                ('a name only in a comment', '`drivers/misc/lkmdemo/sysfs.c:ATTRIBUTE_GROUPS`',
                 'only in a comment'),
                ('a name only in a string', '`lessons/examples/hello-1/hello-1.c:world`', 'only in a comment'),
                ('a function the file does not define', '`lessons/examples/hello-2/hello-2.c:hello_9_init`',
                 'does not contain')):
            p = lessons[0]
            with open(p) as f:
                text = f.read()
            with open(p, 'w') as f:
                f.write(text + f'\nSee {ref}.\n')
            rc, out = run(repo, [p])
            expect(f'{lesson_name(p)} naming {ref} ({what})', rc, out, True, needle)
            with open(p, 'w') as f:
                f.write(text)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == 'refs' and args:
            for p in args:
                parse(p)
            return refs(args)
        if cmd == 'guest-scripts' and len(args) > 1:
            return guest_scripts(args[0], args[1:])
        if cmd == 'check' and len(args) > 4:
            # The kernel's ARCH and the cross prefix (empty on the host's own arch) come
            # from harness/arches/<arch>.sh, by way of lib/lessons.sh.
            if not re.fullmatch(r'[a-z0-9_]+', args[2]):
                print(f'lessons.py: not a kernel ARCH: {args[2]!r}', file=sys.stderr)
                return 2
            return check(args[0] if args[0] != '-' else None, args[1], args[2], args[3], args[4:])
        if cmd == 'refs-in' and len(args) > 1:
            return refs(args[1:], os.path.abspath(args[0]))
        if cmd == 'selftest':
            return selftest()
        if cmd == 'selftest-code':
            return selftest_code()
        if cmd == 'stamp' and args:
            return stamp(args, REPO)
        if cmd == 'drift' and args:
            repo = REPO
            if args[0] == '--repo' and len(args) > 2:
                repo, args = os.path.abspath(args[1]), args[2:]
            return drift(args, repo)
    except LessonError as e:
        print(f'lessons.py: {e}', file=sys.stderr)
        return 1
    print(__doc__.split('\n\n')[1], file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
