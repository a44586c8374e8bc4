#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read one guest console log and give its verdict.

usage: verdict.py <console log> <kunit.py> [--kunit]

Prints the guest's TAP results, then (with --kunit) the kernel's own KUnit parser's
report of the KTAP in the kernel log, and last one line:
    VERDICT <passed> <failed> <skipped> <kunit passed> <kunit failed> <kunit skipped>
A log without the guest's end marker (crash, panic, timeout), or no log at all (the
guest was not booted), counts one failure.

Inside the guest's TAP, a section "LKMDEMO-KSFT-BEGIN <name>" ... "LKMDEMO-KSFT-END
<name>" is the output of the kselftest's run_kselftest.sh (guest/tests/70-kselftest.sh):
KTAP with one result per program ("ok 1 selftests: drivers/misc/lkmdemo: lkmdemo_test",
"ok 2 ...: lkmdemo_rs_test.sh") from the runner, each program's own KTAP nested before
it, each line prefixed "# ". Each nested result and each runner's result count as
results of the guest. A section without its end marker or a runner's result, or a
program with fewer nested results than its nested plan ("# 1..N"), counts one failure
more.
"""
import re
import subprocess
import sys


def section(lines, begin, end):
    out, inside, closed = [], False, False
    for line in lines:
        if line.startswith(begin):
            inside = True
            continue
        if inside and line.startswith(end):
            closed = True
            break
        if inside:
            out.append(line)
    return out, closed


def kselftest_section(lines, name):
    """Counts (passed, failed, skipped) of one run_kselftest.sh section, printing its
    failures; `lines` are the section's lines, None if it has no end marker."""
    passed = failed = skipped = 0
    if lines is None:
        print(f'  FAIL {name}: run_kselftest.sh did not finish (no LKMDEMO-KSFT-END)')
        return 0, 1, 0
    outer = nested = 0
    plan = None
    for line in lines:
        m = re.match(r'(# )?(not )?ok \d+ ', line)
        if not m:
            p = re.match(r'# 1\.\.(\d+)', line)
            if p and plan is None:
                plan = int(p.group(1))
            continue
        if m.group(1):
            nested += 1
        else:
            outer += 1
            # The runner's result ends one program (lkmdemo_test, lkmdemo_rs_test.sh):
            # its own results against its own plan.
            if plan is not None and nested < plan:
                failed += 1
                print(f'  FAIL {name}: the test planned {plan} results and gave {nested}: {line}')
            plan, nested = None, 0
        if m.group(2):
            failed += 1
            print(f'  FAIL {name}: {line}')
        elif re.search(r'#\s*SKIP', line[len(m.group(1) or ''):]):
            skipped += 1
            print(f'  skip {name}: {line}')
        else:
            passed += 1
    if not outer:
        failed += 1
        print(f'  FAIL {name}: no result line of run_kselftest.sh')
    if plan is not None and nested < plan:
        failed += 1
        print(f'  FAIL {name}: the test planned {plan} results and gave {nested}, and no result of the runner')
    if failed:
        for line in lines[-40:]:
            print('       ' + line)
    return passed, failed, skipped


def split_kselftest(tap):
    """The guest's TAP without its run_kselftest.sh sections, and {name: section lines
    or None when it has no end marker}, in order."""
    rest, sections, name = [], {}, None
    for line in tap:
        if line.startswith('LKMDEMO-KSFT-BEGIN'):
            if name is not None:
                sections[name] = None  # a section that never ended
            name = line.split(maxsplit=1)[1] if ' ' in line else 'kselftest'
            sections[name] = []
        elif name is not None and line.startswith('LKMDEMO-KSFT-END'):
            name = None
        elif name is not None:
            sections[name].append(line)
        else:
            rest.append(line)
    if name is not None:
        sections[name] = None
    return rest, sections


def main():
    log, kunit_py = sys.argv[1], sys.argv[2]
    want_kunit = '--kunit' in sys.argv[3:]
    try:
        with open(log, errors='replace') as f:
            lines = [l.rstrip('\r\n') for l in f]
    except FileNotFoundError:
        # The boot never started (the caller removes the old log first): counted below
        # as a guest that did not finish, with no lines to show.
        lines = None
    tap, closed = section(lines or [], 'LKMDEMO-TAP-BEGIN', 'LKMDEMO-TAP-END')
    tap, ksft = split_kselftest(tap)
    passed = failed = skipped = 0
    for name, body in ksft.items():
        p, f, s = kselftest_section(body, name)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for line in tap:
        m = re.match(r'(not )?ok \d+ ', line)
        if m:
            if m.group(1):
                failed += 1
                print('  FAIL ' + line)
            elif re.search(r'#\s*SKIP', line):
                skipped += 1
                print('  skip ' + line)
            else:
                passed += 1
        elif line.startswith('#') and failed and not line.startswith('# group'):
            print('       ' + line)
    if lines is None:
        failed += 1
        print(f'  FAIL no console log {log}: the guest was not booted')
        lines = []
    elif not closed:
        failed += 1
        print('  FAIL the guest did not finish its tests (crash, panic or timeout); last lines:')
        for line in lines[-25:]:
            print('       ' + line)
    kp = kf = ks = 0
    if want_kunit:
        dmesg, _ = section(lines, 'LKMDEMO-DMESG-BEGIN', 'LKMDEMO-DMESG-END')
        # A kernel with KUnit built in prints an empty KTAP document ("1..0") at boot
        # when no suite is built in; the parser would stop there, so drop it. Other
        # kernel messages can come between its two lines (6.1 x86_64: the keyboard's
        # "input: AT Translated Set 2 keyboard ..."), so look for the next KTAP line.
        strip = lambda l: re.sub(r'^\[[ 0-9.]+\] ', '', l)
        ktap = re.compile(r'\s*(K?TAP version|\d+\.\.\d+|# |(not )?ok \d)')
        for i in range(len(dmesg)):
            if not re.match(r'K?TAP version', strip(dmesg[i])):
                continue
            j = next((j for j in range(i + 1, len(dmesg)) if ktap.match(strip(dmesg[j]))), None)
            if j is not None and strip(dmesg[j]) == '1..0':
                dmesg[i] = dmesg[j] = ''
        # Linux 5.10 prints the document header only once, at boot; suites of a test
        # module loaded later follow without one. Put the header back in front of them.
        body = [strip(l) for l in dmesg]
        if not any(re.match(r'K?TAP version', l) for l in body):
            # The first suite starts at its indented "KTAP version" (6.1) or, without
            # one, at its "# Subtest:" line (5.10).
            first = next((i for i, l in enumerate(body) if re.match(r'\s+(K?TAP version|# Subtest:)', l)), None)
            if first is not None:
                n = sum(1 for l in body[first:] if re.match(r'(not )?ok \d+ ', l))
                m = re.match(r'\[[ 0-9.]+\] ', dmesg[first])
                pre = m.group(0) if m else ''  # kunit.py strips one prefix length
                ver = 'KTAP version 1' if re.match(r'\s+KTAP', body[first]) else 'TAP version 14'
                dmesg[first:first] = [pre + ver, pre + f'1..{n}']
        r = subprocess.run([sys.executable, kunit_py, 'parse'], input='\n'.join(dmesg) + '\n',
                           capture_output=True, text=True)
        out = r.stdout + r.stderr
        m = re.search(r'Ran (\d+) tests?:?\s*(.*)', out)
        if m:
            counts = dict((k, int(v)) for k, v in re.findall(r'(passed|failed|skipped|crashed|errors?):\s*(\d+)', m.group(2)))
            kp, kf, ks = counts.get('passed', 0), counts.get('failed', 0) + counts.get('crashed', 0), counts.get('skipped', 0)
            kf += counts.get('errors', 0) + counts.get('error', 0)
            if not kp and not kf and int(m.group(1)):
                kp = int(m.group(1))
        if r.returncode or not m or kp == 0:
            kf += 1 if not kf else 0
            print('  FAIL kunit.py parse (exit %d):' % r.returncode)
            for line in out.splitlines()[-30:]:
                print('       ' + line)
        else:
            print('  kunit: ' + m.group(0).strip())
    print(f'VERDICT {passed} {failed} {skipped} {kp} {kf} {ks}')


if __name__ == '__main__':
    main()
