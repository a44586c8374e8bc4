#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of harness/lib/verdict.py against saved guest console logs (testdata/verdict/).

usage: KUNIT_PY=<kernel tree>/tools/testing/kunit/kunit.py python3 verdict_test.py [-v]

The logs are real ones from the cells named in their file names (<kver>-<arch>-<mode>),
saved and trimmed by harness/tests/verdict-fixture, each with its expected VERDICT line
in <name>.expect. They must cover the three KTAP dialects verdict.py repairs (5.10: no
header before a module's suites; 6.1: an indented header; 7.2: as kunit.py wants it),
and one must fail, and the kselftest's run_kselftest.sh output (LKMDEMO-KSFT sections,
its KTAP with the test's nested in it) of a 64-bit and a 32-bit run. More failing
variants are made here from the passing logs, each by the one change that must make the
verdict fail.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
VERDICT = os.path.join(HERE, '..', 'lib', 'verdict.py')
DATA = os.path.join(HERE, 'testdata', 'verdict')
KUNIT_PY = os.environ.get('KUNIT_PY', '')


def data(name):
    with open(os.path.join(DATA, name), errors='replace') as f:
        return f.read()


def verdict(text):
    """Run verdict.py --kunit on a log's text: ((6 counts), its whole output)."""
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.write(text)
    try:
        r = subprocess.run([sys.executable, VERDICT, f.name, KUNIT_PY, '--kunit'],
                           capture_output=True, text=True, check=True)
    finally:
        os.unlink(f.name)
    last = r.stdout.strip().splitlines()[-1].split()
    assert last[0] == 'VERDICT', r.stdout
    return tuple(int(x) for x in last[1:]), r.stdout


def replace_first(text, pattern, repl, section):
    """Replace the first match of pattern inside the named marker section."""
    begin, end = text.index(f'LKMDEMO-{section}-BEGIN'), text.index(f'LKMDEMO-{section}-END')
    part, n = re.subn(pattern, repl, text[begin:end], count=1, flags=re.M)
    assert n == 1, f'no {pattern!r} in {section}'
    return text[:begin] + part + text[end:]


def expected():
    """{log name: its six numbers} from testdata/verdict/*.expect (verdict-fixture)."""
    out = {}
    for f in sorted(os.listdir(DATA)):
        if f.endswith('.expect'):
            with open(os.path.join(DATA, f)) as e:
                words = e.read().split()
            assert words[0] == 'VERDICT' and len(words) == 7, f
            out[f[:-len('.expect')] + '.log'] = tuple(int(x) for x in words[1:])
    return out


EXPECTED = expected()
PASSING = {k: v for k, v in EXPECTED.items() if v[1] == 0 and v[4] == 0}


class SavedLogs(unittest.TestCase):
    """(passed, failed, skipped, kunit passed, kunit failed, kunit skipped) of each log."""

    def test_saved_logs(self):
        self.assertTrue(EXPECTED, 'no saved logs')
        for name, want in EXPECTED.items():
            with self.subTest(log=name):
                got, out = verdict(data(name))
                self.assertEqual(want, got, out)
                if name in PASSING:
                    # A passing log passed something (a crash log may pass nothing).
                    self.assertGreater(got[0] + got[3], 0, out)

    def test_dialects_covered(self):
        """A passing log of each KTAP dialect verdict.py repairs: 5.10, 6.1, 7.2."""
        for kver in ('5.10', '6.1', '7.2'):
            with self.subTest(kernel=kver):
                self.assertTrue([n for n in PASSING if n.startswith(kver + '-')],
                                f'no passing saved log of {kver} (add one with verdict-fixture)')

    def test_failing_log(self):
        failing = {k: v for k, v in EXPECTED.items() if k not in PASSING}
        self.assertTrue(failing, 'no saved failing log')
        for name, want in failing.items():
            with self.subTest(log=name):
                got, out = verdict(data(name))
                self.assertTrue(got[1] > 0 or got[4] > 0, out)


class KselftestRunner(unittest.TestCase):
    """Variants of the passing logs that hold run_kselftest.sh sections."""

    def each_log(self):
        logs = [(n, data(n), w) for n, w in PASSING.items() if 'LKMDEMO-KSFT-BEGIN' in data(n)]
        self.assertTrue(logs, 'no passing saved log with run_kselftest.sh output (verdict-fixture)')
        return logs

    def test_both_builds_covered(self):
        """A saved log with the 64-bit and the 32-bit runs (x86_64)."""
        self.assertTrue([n for n, text, _ in self.each_log()
                         if 'LKMDEMO-KSFT-BEGIN lkmdemo_test\n' in text and
                         'LKMDEMO-KSFT-BEGIN lkmdemo_test_32\n' in text])

    def test_failed_nested_result(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                bad = replace_first(text, r'^# ok (\d+) (?!.*# SKIP)', r'# not ok \1 ', 'KSFT')
                got, out = verdict(bad)
                self.assertEqual((want[0] - 1, want[1] + 1), got[:2], out)
                self.assertIn(': # not ok', out)

    def test_failed_runner_result(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                bad = replace_first(text, r'^ok 1 selftests: ', 'not ok 1 selftests: ', 'KSFT')
                got, out = verdict(bad)
                self.assertEqual((want[0] - 1, want[1] + 1), got[:2], out)

    def test_no_runner_result(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                bad = replace_first(text, r'^ok 1 selftests: .*\n', '', 'KSFT')
                got, out = verdict(bad)
                self.assertEqual(want[1] + 1, got[1], out)
                self.assertIn('no result line of run_kselftest.sh', out)

    def test_fewer_results_than_planned(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                bad = replace_first(text, r'^# ok \d+ .*\n', '', 'KSFT')
                got, out = verdict(bad)
                self.assertGreaterEqual(got[1], want[1] + 1, out)
                self.assertIn('the test planned', out)

    def test_short_program_before_a_whole_one(self):
        # Two programs (lkmdemo_test, lkmdemo_rs_test.sh): the first one's missing
        # result is not made up for by the second one's.
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                b = text.index('LKMDEMO-KSFT-BEGIN')
                b = text.index('\n', b) + 1
                e = text.index('LKMDEMO-KSFT-END')
                body = text[b:e]
                first = re.search(r'^# (TAP version|selftests: ).*$', body, re.M).start()
                prog = body[first:]
                short = re.sub(r'^# ok \d+ .*\n', '', prog, count=1, flags=re.M)
                second = re.sub(r'^ok 1 (selftests: .*)$', r'ok 2 \1', prog, flags=re.M)
                bad = text[:b] + body[:first] + short + second + text[e:]
                got, out = verdict(bad)
                self.assertGreaterEqual(got[1], want[1] + 1, out)
                self.assertIn('the test planned', out)

    def test_runner_unfinished(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                i = text.index('LKMDEMO-KSFT-END')
                bad = text[:i] + text[text.index('\n', i) + 1:]
                got, out = verdict(bad)
                self.assertGreaterEqual(got[1], want[1] + 1, out)
                self.assertIn('run_kselftest.sh did not finish', out)


class Failures(unittest.TestCase):
    """Each single change to a passing log that must make its verdict fail."""

    def each_log(self):
        for name, want in PASSING.items():
            yield name, data(name), want

    def test_failed_guest_test(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                bad = replace_first(text, r'^ok (\d+) - (?!.*# SKIP)', r'not ok \1 - ', 'TAP')
                got, out = verdict(bad)
                self.assertEqual((want[0] - 1, want[1] + 1), got[:2], out)
                self.assertIn('  FAIL not ok', out)

    def test_crash_before_the_end(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                got, out = verdict(text[:text.index('LKMDEMO-TAP-END')])
                self.assertGreaterEqual(got[1], 1, out)
                self.assertIn('did not finish', out)

    def test_missing_log(self):
        # A boot that never started leaves no console log (boot_cell removes the old
        # one first): one failure, and still a VERDICT line for the caller to count.
        missing = os.path.join(tempfile.mkdtemp(), 'console.log')
        r = subprocess.run([sys.executable, VERDICT, missing, KUNIT_PY, '--kunit'],
                           capture_output=True, text=True, check=True)
        self.assertIn('no console log', r.stdout)
        self.assertEqual('VERDICT 0 1 0 0 1 0', r.stdout.strip().splitlines()[-1], r.stdout)

    def test_failed_kunit_case(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                bad = replace_first(text, r'^((?:\[[ 0-9.]+\] )?\s+)ok (\d+) ', r'\1not ok \2 ', 'DMESG')
                got, out = verdict(bad)
                self.assertGreaterEqual(got[4], 1, out)

    def test_no_kunit_output(self):
        for name, text, want in self.each_log():
            with self.subTest(log=name):
                begin = text.index('LKMDEMO-DMESG-BEGIN')
                end = text.index('LKMDEMO-DMESG-END')
                got, out = verdict(text[:begin] + 'LKMDEMO-DMESG-BEGIN\n' + text[end:])
                self.assertEqual((0, 1), got[3:5], out)


if __name__ == '__main__':
    if not os.path.isfile(KUNIT_PY):
        sys.exit('verdict_test.py: set KUNIT_PY to a kernel tree\'s tools/testing/kunit/kunit.py')
    unittest.main()
