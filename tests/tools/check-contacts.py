#!/usr/bin/env python3
"""check-contacts.py - an independent check of a notify-replay contact log.

    check-contacts.py [--calendar FILE] [--episodes FROM TO] LOG

Reads LOG (TSV with a header: client_id channel sent_at tz loans; sent_at
UTC YYYY-MM-DDTHH:MM:SSZ, tz an IANA zone or "unknown") and checks every
call and message against 230-FZ art. 7, written here from the law's text,
not from the C code:

  - hours, local time at the client's zone (Python's zoneinfo): 08:00-22:00
    on working days, 09:00-20:00 on weekends and non-working holidays; the
    kind of a day from the production calendar FILE (default
    etc/calendar-ru.tsv: "holiday" and "workday" lines, otherwise Saturday
    and Sunday are weekends).  Unknown zone: the instant must be allowed in
    every Russian zone (zone.tab's RU zones);
  - caps per client, local calendar day / ISO week / month: calls 1 / 2 / 8,
    messages (sms, email) 2 / 4 / 16, counting every earlier contact of the
    class (in sent_at order).  An unknown zone's day is Moscow's.
A contact outside the hours or over any cap is one violation.  Letters are
not limited by art. 7.

Prints "name<TAB>value" lines: contacts, violations, hours_violations,
cap_violations, calls_max_local_day (calls per client-local day summed over
clients: the call centre's load).  The first violations go to stderr.

--episodes FROM TO also reads current core through psql (PG* variables),
computes every client's positions day by day by SPEC 5 (its own code: the
schedule from the start date month by month, records' dates override; paid
= payments made up to the day; overdue when what fell due before the day
exceeds what was paid), and prints the overdue episodes that began in
FROM..TO: episodes, episodes_1d/3d/7d (lasting at least 1/3/7 days within
the period), first_contact_1d/3d/7d (of those, with a contact in the log
on one of their first 1/3/7 local days), no_channel_7d (episodes lasting 7
days of clients with no phone, e-mail or address: nobody can reach them),
missed_7d (the rest without a first contact in 7 days; listed on stderr).
"""
import argparse
import bisect
import calendar as pycal
import collections
import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from zoneinfo import ZoneInfo

CAPS = {"call": (1, 2, 8), "message": (2, 4, 16)}
CLASS = {"call": "call", "sms": "message", "email": "message", "letter": None}


def load_calendar(path):
    kinds = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            kinds[dt.date.fromisoformat(parts[0].strip())] = parts[1].strip()
    return kinds


def day_kind(kinds, d):
    k = kinds.get(d)
    if k == "holiday":
        return "off"
    if k == "workday":
        return "work"
    return "off" if d.isoweekday() >= 6 else "work"


def allowed_local(kinds, local):
    """local: an aware or naive local datetime."""
    minute = local.hour * 60 + local.minute
    if day_kind(kinds, local.date()) == "work":
        return 8 * 60 <= minute < 22 * 60
    return 9 * 60 <= minute < 20 * 60


def russian_zones():
    zones = []
    base = os.environ.get("TZDIR", "/usr/share/zoneinfo")
    with open(os.path.join(base, "zone.tab"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] == "RU":
                zones.append(parts[2].strip())
    if not zones:
        sys.exit("check-contacts: no Russian zones in zone.tab")
    return [ZoneInfo(z) for z in zones]


def read_log(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:5] != ["client_id", "channel", "sent_at", "tz", "loans"]:
            sys.exit(f"check-contacts: {path}: unexpected header {header}")
        for n, line in enumerate(f, 2):
            p = line.rstrip("\n").split("\t")
            if len(p) != 5 or not p[2].endswith("Z"):
                sys.exit(f"check-contacts: {path}:{n}: malformed row")
            t = dt.datetime.strptime(p[2], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
            if p[1] not in CLASS:
                sys.exit(f"check-contacts: {path}:{n}: unknown channel {p[1]}")
            rows.append((int(p[0]), p[1], t, p[3], p[4], n))
    return rows


def check(rows, kinds):
    moscow = ZoneInfo("Europe/Moscow")
    ru = russian_zones()
    zcache = {}
    seen = collections.defaultdict(list)   # (client, class) -> local days so far
    out = collections.Counter()
    calls_day = collections.Counter()
    bad = []
    for client, channel, t, tz, loans, line in sorted(rows, key=lambda r: (r[0], r[2], r[5])):
        out["contacts"] += 1
        cls = CLASS[channel]
        if tz == "unknown":
            ok = all(allowed_local(kinds, t.astimezone(z)) for z in ru)
            local_day = t.astimezone(moscow).date()
        else:
            z = zcache.setdefault(tz, ZoneInfo(tz))
            local = t.astimezone(z)
            ok = allowed_local(kinds, local)
            local_day = local.date()
        if channel == "call":
            calls_day[local_day] += 1
        if cls is None:
            continue
        days = seen[(client, cls)]
        iso = local_day.isocalendar()[:2]
        n_day = sum(1 for d in days if d == local_day)
        n_week = sum(1 for d in days if d.isocalendar()[:2] == iso)
        n_month = sum(1 for d in days if (d.year, d.month) == (local_day.year, local_day.month))
        cap = CAPS[cls]
        over = n_day >= cap[0] or n_week >= cap[1] or n_month >= cap[2]
        days.append(local_day)
        if len(days) > 80:          # older than any month: keep the list short
            del days[: len(days) - 80]
        if not ok:
            out["hours_violations"] += 1
        if over:
            out["cap_violations"] += 1
        if not ok or over:
            out["violations"] += 1
            if len(bad) < 20:
                bad.append(f"line {line}: client {client} {channel} {t:%Y-%m-%dT%H:%M:%SZ} {tz}: "
                           f"{'outside hours ' if not ok else ''}{'over a cap' if over else ''}")
    out["calls_max_local_day"] = max(calls_day.values(), default=0)
    return out, bad


# ---- episodes from core --------------------------------------------------

def psql(sql):
    r = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", "\t", "-c", sql],
                       check=True, capture_output=True, text=True)
    return [line.split("\t") for line in r.stdout.splitlines() if line]


def kopecks(s):
    return 0 if s == "" else int(Decimal(s) * 100)


def add_months(d, k):
    idx = d.year * 12 + d.month - 1 + k
    y, m = divmod(idx, 12)
    return dt.date(y, m + 1, min(d.day, pycal.monthrange(y, m + 1)[1]))


def episodes(rows, first, last):
    has_email = psql("select count(*) from information_schema.columns where table_schema = 'core' "
                     "and table_name = 'clients_current' and column_name = 'email'")[0][0] == "1"
    reach = {}
    for cid, phone, address, email in psql(
            "select client_id, coalesce(phone, ''), coalesce(address, ''), "
            + ("coalesce(email, '')" if has_email else "''")
            + " from core.clients_current"):
        reach[int(cid)] = bool(phone or address or email)
    loans = {}
    for cid, name, start, n, pa in psql(
            "select client_id, loan_name, loan_start_date, payment_numbers, paid_amount "
            "from core.loans_current"):
        loans[(int(cid), name)] = {"start": dt.date.fromisoformat(start), "n": int(n),
                                   "pa": kopecks(pa), "rec": []}
    for cid, name, num, date, fact, amount in psql(
            "select client_id, loan_name, payment_number, payment_date, "
            "coalesce(payment_fact_date::text, ''), coalesce(paid_fact_amount::text, '') "
            "from core.payments_current"):
        key = (int(cid), name)
        if key in loans:
            loans[key]["rec"].append((int(num), dt.date.fromisoformat(date),
                                      dt.date.fromisoformat(fact) if fact else None,
                                      kopecks(amount)))
    days = [first + dt.timedelta(i) for i in range(-1, (last - first).days + 1)]
    overdue = collections.defaultdict(lambda: [False] * len(days))
    for (cid, _), l in loans.items():
        if l["start"] > last or l["pa"] <= 0 or l["n"] <= 0:
            continue
        due = [add_months(l["start"], k) for k in range(l["n"])]
        for num, date, _, _ in l["rec"]:
            if 1 <= num <= l["n"]:
                due[num - 1] = date
        due.sort()
        pays = sorted((f, a) for _, _, f, a in l["rec"] if f is not None)
        facts = [f for f, _ in pays]
        cum, s = [], 0
        for _, a in pays:
            s += a
            cum.append(s)
        flags = overdue[cid]
        for i, d in enumerate(days):
            if d < l["start"]:
                continue
            owed = l["pa"] * bisect.bisect_left(due, d)
            k = bisect.bisect_right(facts, d)
            if owed > (cum[k - 1] if k else 0):
                flags[i] = True
    contact_days = collections.defaultdict(set)
    moscow = ZoneInfo("Europe/Moscow")
    for client, _, t, tz, _, _ in rows:
        z = moscow if tz == "unknown" else ZoneInfo(tz)
        contact_days[client].add(t.astimezone(z).date())
    out = collections.Counter()
    missed = []
    for cid, flags in overdue.items():
        i = 1
        while i < len(days):
            if flags[i] and not flags[i - 1]:
                j = i
                while j < len(days) and flags[j]:
                    j += 1
                s, length = days[i], j - i
                out["episodes"] += 1
                for h in (1, 3, 7):
                    if length >= h:
                        out[f"episodes_{h}d"] += 1
                        if any(s + dt.timedelta(k) in contact_days[cid] for k in range(h)):
                            out[f"first_contact_{h}d"] += 1
                        elif h == 7 and not reach.get(cid, False):
                            out["no_channel_7d"] += 1
                        elif h == 7:
                            out["missed_7d"] += 1
                            missed.append(f"client {cid}: episode from {s} ({length} days) "
                                          "without a contact in its first 7 days")
                i = j
            else:
                i += 1
    for k in ("episodes", "episodes_1d", "episodes_3d", "episodes_7d", "first_contact_1d",
              "first_contact_3d", "first_contact_7d", "no_channel_7d", "missed_7d"):
        out[k] += 0
    return out, missed


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calendar", default=os.path.join(top, "etc", "calendar-ru.tsv"))
    ap.add_argument("--episodes", nargs=2, metavar=("FROM", "TO"))
    ap.add_argument("log")
    a = ap.parse_args()
    rows = read_log(a.log)
    out, bad = check(rows, load_calendar(a.calendar))
    for k in ("contacts", "violations", "hours_violations", "cap_violations", "calls_max_local_day"):
        print(f"{k}\t{out[k]}")
    for b in bad:
        print(b, file=sys.stderr)
    if a.episodes:
        ep, missed = episodes(rows, dt.date.fromisoformat(a.episodes[0]),
                              dt.date.fromisoformat(a.episodes[1]))
        for k, v in ep.items():
            print(f"{k}\t{v}")
        for m in missed[:20]:
            print(m, file=sys.stderr)


if __name__ == "__main__":
    main()
