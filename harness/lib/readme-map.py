#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the README's concept map: every file:symbol or file:"text" it names exists.

usage: readme-map.py <README>
Prints one line per reference that is broken and exits 1 if there is any.
"""
import os
import re
import sys

readme = sys.argv[1]
top = os.path.dirname(os.path.abspath(readme))
refs = bad = rows = 0
for line in open(readme):
    if not line.startswith('| ') or line.startswith('| Concept'):
        continue
    rows += 1
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) != 3:
        print(f'bad row (needs concept | code | proof): {line.strip()}')
        bad += 1
        continue
    for cell in cells[1:]:
        for path, sym in re.findall(r'([A-Za-z0-9_./-]+):("[^"]+"|[A-Za-z0-9_$]+)', cell):
            refs += 1
            sym = sym.strip('"')
            f = os.path.join(top, path)
            if not os.path.isfile(f):
                print(f'{path}: no such file (for {sym})')
                bad += 1
            elif sym not in open(f, errors='replace').read():
                print(f'{path}: does not contain "{sym}"')
                bad += 1
        if not re.search(r'[A-Za-z0-9_./-]+:', cell):
            print(f'row without a reference: {line.strip()}')
            bad += 1
print(f'README concept map: {rows} concepts, {refs} references, {bad} broken')
sys.exit(1 if bad or not rows else 0)
