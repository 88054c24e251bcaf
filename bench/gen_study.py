#!/usr/bin/env python3
"""Generate a synthetic qualitative study for benchmarking qcode.

    python3 bench/gen_study.py --docs N --out DIR [--words W] [--seed S]

Writes into DIR:
  framework.yaml      7 themes x 5 sub-themes (full ids t1.c1 .. t7.c5)
  transcripts/*.txt   N transcripts with YAML front matter, about W words each;
                      every 5th (the 3rd, 8th, 13th, ...) is a group discussion
                      with a moderator and 3-5 participants from 2 or 3 groups,
                      the rest are one-to-one interviews
  cases.csv           case,group,district,role,method
  codings-a.csv       doc,start,end,code,coder,memo,text  (coder anna)
  codings-b.csv       the same for coder ben: about 70% of anna's spans with
                      boundaries shifted a little (sometimes another code),
                      plus codings of its own

Offsets are Unicode code points (Python str indices) into the stored text,
i.e. everything after the closing '---' line of the front matter; they are
0-based and end-exclusive. Every coding lies inside the span of a respondent's
turn as DESIGN.md defines it (after "Label: ", up to the end of the turn's last
line) and is 50-600 code points long. The text column is the exact slice.

Python standard library only; the output depends only on the arguments.
"""

import argparse
import csv
import os
import random
import sys
import unicodedata

# --------------------------------------------------------------------------
# Vocabulary

FUNCTION_WORDS = (
    "the a an and but so because then that this it they we I you he she "
    "was were is are had have been would could should might will just really "
    "quite very more less about with without for from into on at in of to "
    "when what which who how there here not never always sometimes often"
).split()

CONTENT_WORDS = (
    "adviser advisers jobcentre provider providers appointment appointments "
    "training course courses confidence childcare benefit benefits interview "
    "interviews condition health travel referral referrals employer employers "
    "work job jobs contract contracts target targets money payment payments "
    "programme scheme support letter letters phone office meeting meetings "
    "choice choices pressure paperwork system systems computer form forms "
    "manager managers customer customers claim claims sanction sanctions "
    "placement placements experience volunteering family children partner "
    "doctor hospital anxiety depression back pain bus train car distance "
    "district town area week weeks month months year years morning afternoon "
    "helpful useless stressful friendly honest difficult easy confusing clear "
    "different better worse good bad great fine late early busy quiet "
    "thought felt said told asked went came got made found wanted needed "
    "helped tried started stopped waited called explained understood"
).split()

# Precomposed (NFC) non-ASCII words: 2-byte, 3-byte and one 4-byte character.
NON_ASCII_WORDS = (
    "café", "naïve", "Zoë", "résumé", "façade", "rôle", "crèche", "fiancée",
    "déjà", "über", "São", "Renée", "José", "Siân", "Björn", "Łódź", "piñata",
    "coöperate", "don’t", "it’s", "I’d", "wasn’t", "£20", "£150", "€5",
    "—", "…", "🙂",
)

QUESTION_STARTS = (
    "How did you", "What did you think about", "Can you tell me about",
    "Why do you think", "When did you first hear about", "Who helped you with",
    "What happened with", "How would you describe", "Did you feel that",
    "What was it like with",
)

MEMOS = (
    "", "", "", "", "", "", "", "",
    "check against the chart",
    "strong example, quote in report",
    "ambiguous: could also be barriers",
    "compare with the provider view, see D0001",
    "respondent is “not sure”, follow up",
    "Zoë’s point about the café",
    'she said "never again", emphasis',
    "long passage; trim before quoting",
    "naïve reading? discuss at team meeting",
)

FIRST_NAMES = (
    "Ann", "Bob", "Zoë", "Carol", "Dev", "Efua", "Frank", "Gwen", "Hamid",
    "Iris", "José", "Kate", "Liam", "Mair", "Nia", "Owen", "Priya", "Renée",
    "Sam", "Siân", "Tom", "Uma", "Björn", "Wendy", "Xavier",
)

GROUPS = ("jcp", "provider", "customer")
GROUP_WEIGHTS = (1, 1, 2)  # one-to-one respondents
ROLES = {
    "jcp": ("adviser", "disability employment adviser", "manager"),
    "provider": ("adviser", "job broker", "manager"),
    "customer": ("customer",),
}
DISTRICTS = ("North", "South", "East", "West", "Central", "Coast", "Valleys", "City")

N_THEMES = 7
N_CODES = 5


# --------------------------------------------------------------------------
# Text

class TextGen:
    def __init__(self, rng):
        self.rng = rng
        self.pool = FUNCTION_WORDS * 3 + CONTENT_WORDS

    def sentence(self, nwords):
        rng = self.rng
        words = rng.choices(self.pool, k=nwords)
        # about 4% non-ASCII words
        for i in range(nwords):
            if rng.random() < 0.04:
                words[i] = rng.choice(NON_ASCII_WORDS)
        if nwords > 8 and rng.random() < 0.3:
            words[rng.randrange(2, nwords - 2)] += ","
        if nwords > 5 and rng.random() < 0.12:
            i = rng.randrange(0, nwords - 3)
            j = i + rng.randrange(1, 4)
            words[i] = "“" + words[i]
            words[j] = words[j] + "”"
        first = words[0]
        words[0] = first[:1].upper() + first[1:]
        end = "." if rng.random() < 0.9 else rng.choice(("!", "?", "…"))
        return " ".join(words) + end

    def paragraph(self, nwords):
        """About nwords words of sentences on one line; returns (text, words)."""
        rng = self.rng
        out = []
        count = 0
        while count < nwords:
            n = rng.randint(6, 20)
            out.append(self.sentence(n))
            count += n
        return " ".join(out), count

    def question(self):
        rng = self.rng
        n = rng.randint(4, 14)
        body = " ".join(rng.choices(self.pool, k=n))
        return rng.choice(QUESTION_STARTS) + " " + body + "?", n + 4


# --------------------------------------------------------------------------
# Documents

class Doc:
    __slots__ = ("id", "title", "case", "speakers", "text", "turns")

    def __init__(self, doc_id):
        self.id = doc_id
        self.title = ""
        self.case = None
        self.speakers = []  # [(label, case id or "interviewer")]
        self.text = ""
        self.turns = []  # [(label, case id or None, start, end)] respondent turns only


def build_text(tg, rng, turn_plan, target_words):
    """turn_plan() yields (label, case or None, is_question). Builds stored text."""
    parts = []
    pos = 0
    words = 0
    turns = []
    for label, case, is_question in turn_plan():
        if words + 40 >= target_words:  # the next turn would overshoot by ~40 words
            break
        prefix = label + ": "
        if is_question:
            body, n = tg.question()
        else:
            nlines = 1 if rng.random() < 0.75 else 2
            lines = []
            n = 0
            for _ in range(nlines):
                line, k = tg.paragraph(rng.randint(40, 180) // nlines)
                lines.append(line)
                n += k
            body = "\n".join(lines)
        start = pos + len(prefix)
        end = start + len(body)
        if case is not None:
            turns.append((label, case, start, end))
        chunk = prefix + body + "\n\n"
        parts.append(chunk)
        pos += len(chunk)
        words += n
    text = "".join(parts)
    text = text[:-1]  # end with one newline, not a blank line
    return text, turns


def make_interview(tg, rng, doc, case, target_words):
    doc.title = "Interview " + doc.id
    doc.case = case
    doc.speakers = [("IV", "interviewer"), ("R", case)]

    def plan():
        while True:
            yield ("IV", None, True)
            yield ("R", case, False)
            if rng.random() < 0.25:  # a follow-up answer to a short prompt
                yield ("IV", None, True)
                yield ("R", case, False)

    doc.text, doc.turns = build_text(tg, rng, plan, target_words)


def make_group(tg, rng, doc, participants, target_words):
    """participants: [(label, case)]"""
    doc.title = "Group discussion " + doc.id
    doc.speakers = [("Moderator", "interviewer")] + participants

    def plan():
        while True:
            yield ("Moderator", None, True)
            k = rng.randint(2, 4)
            for label, case in rng.sample(participants, min(k, len(participants))):
                yield (label, case, False)

    doc.text, doc.turns = build_text(tg, rng, plan, target_words)


def front_matter(doc):
    lines = ["---", "id: " + doc.id, "title: " + doc.title]
    if doc.case is not None:
        lines.append("case: " + doc.case)
    sp = ", ".join(f"{label}: {who}" for label, who in doc.speakers)
    lines.append("speakers: {" + sp + "}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Codings

def is_space(c):
    return c == " " or c == "\n"


def snap(text, ts, te, start, end):
    """Move start forward to a word start and end back to a word end, within [ts, te]."""
    start = max(start, ts)
    end = min(end, te)
    while start < end and (is_space(text[start]) or (start > ts and not is_space(text[start - 1]))):
        start += 1
    while end > start and (is_space(text[end - 1]) or (end < te and not is_space(text[end]))):
        end -= 1
    return start, end


def pick_span(rng, text, turns, weights):
    for _ in range(20):
        label, case, ts, te = rng.choices(turns, weights=weights)[0]
        tl = te - ts
        if tl < 50:
            continue
        length = rng.randint(50, min(600, tl))
        s = ts + rng.randint(0, tl - length)
        a, b = snap(text, ts, te, s, s + length)
        if 50 <= b - a <= 600:
            return ts, te, a, b
        if 50 <= length <= 600:
            return ts, te, s, s + length
    return None


ALL_CODES = [f"t{t}.c{c}" for t in range(1, N_THEMES + 1) for c in range(1, N_CODES + 1)]


def code_for(rng, focus):
    if rng.random() < 0.7:
        t = rng.choice(focus)
    else:
        t = rng.randint(1, N_THEMES)
    return f"t{t}.c{rng.randint(1, N_CODES)}"


def make_codings(rng, doc, density=1.0):
    text = doc.text
    turns = doc.turns
    if not turns:
        return [], []
    weights = [te - ts for _, _, ts, te in turns]
    focus = rng.sample(range(1, N_THEMES + 1), 3)

    a_rows = []
    a_keys = set()
    for _ in range(round(rng.randint(16, 24) * density)):
        sp = pick_span(rng, text, turns, weights)
        if sp is None:
            continue
        ts, te, s, e = sp
        code = code_for(rng, focus)
        if (s, e, code) in a_keys:
            continue
        a_keys.add((s, e, code))
        a_rows.append((ts, te, s, e, code))

    b_rows = []
    b_keys = set()
    for ts, te, s, e, code in a_rows:
        if rng.random() >= 0.7:
            continue
        ns, ne = s, e
        if rng.random() < 0.75:
            cs = s + rng.randint(-20, 20)
            ce = e + rng.randint(-20, 20)
            if rng.random() < 0.5:
                cs, ce = snap(text, ts, te, cs, ce)
            cs, ce = max(cs, ts), min(ce, te)
            if 50 <= ce - cs <= 600:
                ns, ne = cs, ce
        ncode = code
        if rng.random() < 0.2:
            ncode = code_for(rng, focus)
        if (ns, ne, ncode) in b_keys:
            continue
        b_keys.add((ns, ne, ncode))
        b_rows.append((ts, te, ns, ne, ncode))
    for _ in range(round(rng.randint(4, 8) * density)):
        sp = pick_span(rng, text, turns, weights)
        if sp is None:
            continue
        ts, te, s, e = sp
        code = code_for(rng, focus)
        if (s, e, code) in b_keys:
            continue
        b_keys.add((s, e, code))
        b_rows.append((ts, te, s, e, code))

    def rows(items, coder):
        out = []
        for _, _, s, e, code in sorted(items, key=lambda r: (r[2], r[3], r[4])):
            memo = rng.choice(MEMOS)
            out.append((doc.id, s, e, code, coder, memo, text[s:e]))
        return out

    return rows(a_rows, "anna"), rows(b_rows, "ben")


# --------------------------------------------------------------------------
# Framework

def framework_yaml(tg):
    out = [
        "id: synthetic",
        "title: Synthetic benchmark study",
        "groups:",
        "  attribute: group",
        "  values:",
        "    - {id: jcp, label: JCP staff}",
        "    - {id: provider, label: Provider staff}",
        "    - {id: customer, label: Customers}",
        "themes:",
    ]

    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def sent():
        return q(tg.sentence(tg.rng.randint(6, 14)))

    for t in range(1, N_THEMES + 1):
        out += [
            f"  - id: t{t}",
            f"    label: Theme {t}",
            f"    description: {sent()}",
            f"    include: {sent()}",
            f"    exclude: {sent()}",
            "    codes:",
        ]
        for c in range(1, N_CODES + 1):
            out += [
                f"      - id: c{c}",
                f"        label: Sub-theme {t}.{c}",
                f"        description: {sent()}",
                f"        include: {sent()}",
                f"        exclude: {sent()}",
            ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a synthetic study for benchmarking qcode.")
    ap.add_argument("--docs", type=int, required=True, help="number of transcripts")
    ap.add_argument("--out", required=True, help="output directory (created if missing)")
    ap.add_argument("--words", type=int, default=1200, help="about this many words per transcript")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--density", type=float, default=1.0,
                    help="codings per transcript relative to the default of about 40 (default 1)")
    args = ap.parse_args(argv)
    if args.docs < 1 or args.words < 50:
        ap.error("--docs must be >= 1 and --words >= 50")

    rng = random.Random(args.seed)
    tg = TextGen(rng)
    out = args.out
    tdir = os.path.join(out, "transcripts")
    os.makedirs(tdir, exist_ok=True)

    dw = max(4, len(str(args.docs)))
    cw = max(4, len(str(args.docs * 5)))
    case_no = 0
    cases = []  # (case, group, district, role, method)

    def new_case(group, method):
        nonlocal case_no
        case_no += 1
        cid = "K" + str(case_no).zfill(cw)
        cases.append((cid, group, rng.choice(DISTRICTS), rng.choice(ROLES[group]), method))
        return cid

    with open(os.path.join(out, "framework.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(framework_yaml(tg))

    fa = open(os.path.join(out, "codings-a.csv"), "w", encoding="utf-8", newline="")
    fb = open(os.path.join(out, "codings-b.csv"), "w", encoding="utf-8", newline="")
    wa = csv.writer(fa, lineterminator="\n")
    wb = csv.writer(fb, lineterminator="\n")
    header = ("doc", "start", "end", "code", "coder", "memo", "text")
    wa.writerow(header)
    wb.writerow(header)

    for i in range(1, args.docs + 1):
        doc = Doc("D" + str(i).zfill(dw))
        target = max(50, int(args.words * rng.uniform(0.85, 1.15)))
        if i % 5 == 3:
            k = rng.randint(3, 5)
            ngroups = rng.randint(2, min(3, k))
            chosen = rng.sample(GROUPS, ngroups)
            groups = chosen + [rng.choice(chosen) for _ in range(k - ngroups)]
            rng.shuffle(groups)
            names = rng.sample(FIRST_NAMES, k)
            participants = [(name, new_case(g, "group")) for name, g in zip(names, groups)]
            make_group(tg, rng, doc, participants, target)
        else:
            g = rng.choices(GROUPS, weights=GROUP_WEIGHTS)[0]
            make_interview(tg, rng, doc, new_case(g, "interview"), target)

        assert unicodedata.is_normalized("NFC", doc.text)
        with open(os.path.join(tdir, doc.id + ".txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write(front_matter(doc))
            f.write(doc.text)

        ra, rb = make_codings(rng, doc, args.density)
        wa.writerows(ra)
        wb.writerows(rb)

    fa.close()
    fb.close()

    with open(os.path.join(out, "cases.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("case", "group", "district", "role", "method"))
        w.writerows(cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
