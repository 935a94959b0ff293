#!/usr/bin/env python3
"""sample-data.py N_LOANS [options] > sample.json

Synthetic data for the dashboard in the shape web/README.md describes (what
overdue-report --format html embeds), for working on the page without a
database: `web/sample-data.py 20000 > s.json && web/dev-build s.json > p.html`.

Each loan is simulated month by month (current -> 1-30 -> 31-60 -> 61-90 ->
91+ days past due, cures, closing), with a default risk from its client's
attributes (the points of gen-clients' risk table), so every table agrees
with the others: the attribute breakdown sums to the as-of month's figures,
the roll matrix to the last two months, and so on.  It is NOT the mart's
arithmetic (that lives in SQL/C); it is realistic input for the page.

It includes a hostile name `</script><img src=x onerror="window.__xss=1">`
in the loans table and a hostile region value (window.__xss=2) in the
breakdowns, Cyrillic values, null attributes ("unknown"), loans of exactly
50 000 / 100 000 / 500 000 roubles (on-grid half-bins).  N_LOANS = 0 gives the
empty mart (first_month null).

Deterministic for a given --seed.  Pure standard library.
"""
import argparse
import datetime
import json
import math
import random
import sys

HOSTILE_FIO = '</script><img src=x onerror="window.__xss=1">'
HOSTILE_REGION = '<img src=x onerror="window.__xss=2">'

# attribute -> (values, weights, risk points); None = null ("unknown")
ATTRS = [
    ("gender", ["Мужчина", "Женщина"], [48, 52], [4, 0]),
    ("age_band", ["18-25", "26-35", "36-45", "46-60", "61-75", "other"],
     [12, 28, 25, 22, 11, 2], [12, 5, 0, 1, 5, 8]),
    ("education", ["Начальное", "Среднее", "Высшее", "Два высших"], [6, 38, 46, 10], [12, 6, 0, -3]),
    ("count_of_children", ["0", "1", "2", "3", "4", None], [35, 28, 22, 8, 3, 4], [0, 1, 3, 6, 9, 3]),
    ("job_type", ["Работает по найму", "ИП", "Самозанятый", "Безработный"], [62, 12, 16, 10], [0, 6, 8, 20]),
    ("family_status", ["В браке", "Не в браке", None], [52, 45, 3], [-3, 3, 2]),
    ("region", ["Москва", "Санкт-Петербург", "Нижний Новгород", "Екатеринбург", "Новосибирск",
                "Казань", None], [30, 18, 12, 14, 12, 10, 4], [-2, -1, 2, 1, 2, 0, 3]),
]
SURNAMES = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов",
            "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов",
            "Егоров", "Павлов", "Козлов", "Степанов", "Орлов", "Зайцев", "Белов", "Комаров"]
INITIALS = "АБВГДЕЖЗИКЛМНОПРСТУФЭЮЯ"
ROUND_AMOUNTS = [10000, 15000, 20000, 25000, 30000, 40000, 50000, 50000, 60000, 75000, 80000,
                 100000, 100000, 120000, 150000, 200000, 250000, 300000, 400000, 500000, 500000,
                 600000, 750000, 1000000, 1500000, 2000000]
TERMS = [6, 12, 12, 18, 24, 24, 36, 36, 48, 60]
# the simulation's sums per (month, key); what the page gets is below
CELL = ["a", "o", "out", "oout", "arr", "d1", "d2", "d3", "d4", "p30", "p90",
        "fl", "fll", "po", "cu", "in", "ik"]
# "mb": counts, and money in whole roubles (rounded half up per cell)
MB_COLS = ["a", "o", "out", "d1", "d2", "d3", "d4", "p30", "p90", "fl", "fll", "po", "cu", "in"]
MB_ROUBLES = {"out", "p30", "p90"}
# "last": exact kopecks for the tiles, the last two months
LAST_COLS = ["out", "oout", "arr", "p30", "p90", "ik"]
BUCKET_NAMES = ["0", "1-30", "31-60", "61-90", "91+"]


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("loans", type=int, help="number of loans (0: an empty mart)")
    ap.add_argument("--months", type=int, default=None,
                    help="months from the first loan to the as-of month (default 36, 120 above 50 000 loans)")
    ap.add_argument("--as-of", default="2024-03-15", help="the as-of date D (default 2024-03-15)")
    ap.add_argument("--limit", default="auto",
                    help="loans.limit: rows per seed bucket, or 'null' for all (default: null up to 2 000 loans, else 250)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--long", action="store_true",
                    help="seed-like loans: terms run to about the as-of date and amounts spread wider, so "
                         "almost every loan stays active (a 300 000-loan --long --months 175 sample has "
                         "the table sizes of the 1M-loan book)")
    ap.add_argument("--init-bucket", default="", help="init.bucket, e.g. 50k-100k,lt50k")
    ap.add_argument("--init-min", default=None, help="init.min (roubles, text)")
    ap.add_argument("--init-max", default=None, help="init.max (roubles, text)")
    a = ap.parse_args()
    if a.loans < 0:
        ap.error("N_LOANS must be >= 0")
    if a.months is None:
        a.months = 120 if a.loans > 50000 else 36
    if a.months < 1:
        ap.error("--months must be >= 1")
    return a


def weighted(rng, cum, total):
    """Index of a weighted choice from cumulative weights."""
    x = rng.random() * total
    for i, c in enumerate(cum):
        if x < c:
            return i
    return len(cum) - 1


def main():
    a = parse_args()
    rng = random.Random(a.seed)
    asof = datetime.date.fromisoformat(a.as_of)
    months = a.months
    last = months - 1
    fy, fm = divmod(asof.year * 12 + asof.month - 1 - last, 12)
    first_month = "%04d-%02d" % (fy, fm + 1)
    n = a.loans
    if a.limit == "auto":
        limit = None if n <= 2000 else 250
    elif a.limit == "null":
        limit = None
    else:
        limit = int(a.limit)
    init = {"bucket": [b for b in a.init_bucket.split(",") if b], "min": a.init_min, "max": a.init_max}

    built = datetime.datetime(asof.year, asof.month, asof.day, 10, 2, 11)
    out = {
        "v": 1,
        "as_of": asof.isoformat(),
        "built_at": built.strftime("%Y-%m-%d %H:%M:%S") + "+00",
        "first_month": first_month if n > 0 else None,
        "months": months if n > 0 else 0,
        "init": init,
    }
    if n == 0:
        out.update({
            "mb": {c: [] for c in ["m", "k"] + MB_COLS},
            "last": {c: [] for c in ["m", "k"] + LAST_COLS},
            "roll": {"k": [], "f": [], "t": [], "n": []},
            "vint": {"v": [], "k": [], "f": [], "n": []},
            "attr": {name: {"values": [], "x": [], "k": [], "a": [], "o": []} for name, *_ in ATTRS},
            "loans": {"limit": limit, "total": 0, "cols": loan_cols(), "k": [], "rows": []},
        })
        emit(out)
        return

    # clients: attributes, a risk score, masked personal data
    n_clients = max(1, n * 2 // 3)
    attr_cum = []
    for name, values, weights, points in ATTRS:
        cum, s = [], 0
        for w in weights:
            s += w
            cum.append(s)
        attr_cum.append((cum, s))
    clients = []
    for cid in range(n_clients):
        xs = [weighted(rng, cum, tot) for cum, tot in attr_cum]
        risk = sum(ATTRS[j][3][x] for j, x in enumerate(xs))
        female = xs[0] == 1
        fio = rng.choice(SURNAMES) + ("а" if female else "") + " " + rng.choice(INITIALS) + ". " + \
            rng.choice(INITIALS) + "."
        phone = None if rng.random() < 0.05 else "***%04d" % rng.randrange(10000)
        clients.append((xs, risk, fio, phone))
    # client 0: the hostile texts (its first loan is made to go bad below)
    xs0 = list(clients[0][0])
    region_j = [x[0] for x in ATTRS].index("region")
    clients[0] = (xs0, 40, HOSTILE_FIO, "***0000")
    attr_values = [list(v) for _, v, _, _ in ATTRS]
    attr_values[region_j].append(HOSTILE_REGION)
    xs0[region_j] = len(attr_values[region_j]) - 1

    mb = {}          # m * KS + k -> [17 sums]
    KS = 1 << 22
    roll = {}        # (k, from, to) -> loans
    vint = {}        # (v, k, f) -> loans
    attr = {}        # (attribute index, value index, k) -> [active, overdue]
    overdue_rows = []
    late_day_ok = asof.day  # an installment of the as-of month is due before D when its day < D's day

    for li in range(n):
        ci = 0 if li == 0 else rng.randrange(n_clients)
        xs, risk, fio, phone = clients[ci]
        # start month: more loans in later months (a growing book)
        s = min(last, int(months * (rng.random() ** 0.6)))
        if li == 0:
            s = max(0, last - 7)
        day = rng.randint(1, asof.day if s == last else 28)
        term = (last - s + 1 + rng.randint(0, 3)) if a.long else rng.choice(TERMS)
        # amount in kopecks: round amounts (on the 1 000 grid) or arbitrary ones
        if rng.random() < 0.4:
            amount = rng.choice(ROUND_AMOUNTS) * 100
        else:
            if a.long:
                rub = min(10_000_000, max(3000, rng.lognormvariate(math.log(150000), 1.1)))
            else:
                rub = min(3_000_000, max(3000, rng.lognormvariate(math.log(90000), 0.85)))
            amount = int(rub) * 100 + (rng.randrange(100) if rng.random() < 0.5 else 0)
        if li == 0:
            amount = 1_234_567_89
        k = 2 * (amount // 100000) + (0 if amount % 100000 == 0 else 1)
        inst = (amount + term // 2) // term
        total = inst * term
        p_bad = min(0.3, 0.002 + 0.0012 * max(risk, 0))
        if li == 0:
            p_bad = 1.0
        roll_p = min(0.75, 0.3 + 0.008 * max(risk, 0))

        st = 0            # 0 current, 1..4 dpd buckets, 5 closed
        prev = -1         # state at the previous snapshot (-1: not started)
        in4 = 0           # months spent in 91+
        first30 = -1
        for m in range(s, months):
            mob = m - s
            if mob > 0:
                r = rng.random()
                if st == 0:
                    if mob >= term:
                        st = 5
                    elif r < p_bad:
                        st = 1
                    elif r < p_bad + 0.006:
                        st = 5
                elif st == 1:
                    if li == 0:
                        st = 2
                    elif r < 0.5:
                        st = 0
                    elif r < 0.5 + 0.5 * roll_p:
                        st = 2
                elif st == 2:
                    if li != 0 and r < 0.25:
                        st = 0
                    elif li != 0 and r < 0.35:
                        st = 1
                    elif li != 0 and r < 0.40:
                        st = 2
                    else:
                        st = 3
                elif st == 3:
                    if li != 0 and r < 0.12:
                        st = 0
                    elif li != 0 and r < 0.17:
                        st = 2
                    else:
                        st = 4
                elif st == 4:
                    if li != 0 and r < 0.02:
                        st = 0
                    elif li != 0 and r < 0.035:
                        st = 5
                if st == 0 and mob >= term:
                    st = 5
            in4 = in4 + 1 if st == 4 else 0
            if st >= 2 and first30 < 0:
                first30 = mob
            cell = mb.get(m * KS + k)
            if cell is None:
                cell = mb[m * KS + k] = [0] * 17
            if mob == 0:
                cell[15] += 1
                cell[16] += amount
            if 1 <= prev <= 4:
                cell[13] += 1
                if st == 0 or st == 5:
                    cell[14] += 1
            # a scheduled payment in month m, before D
            if prev in (0, 1, 2, 3, 4) and 1 <= mob <= term and (m < last or day < late_day_ok):
                cell[11] += 1
                if st != 0 and st != 5 or rng.random() < 0.05:
                    cell[12] += 1
            if m == last and 0 <= prev <= 4:
                key = (k, prev, st)
                roll[key] = roll.get(key, 0) + 1
            if st == 5:
                break
            due_n = min(mob, term)
            missed = st if st < 4 else 3 + in4
            paid_n = max(0, due_n - missed)
            outst = max(0, total - paid_n * inst)
            arrears = min(outst, missed * inst)
            if outst == 0:
                outst = inst
            cell[0] += 1
            cell[2] += outst
            if st > 0:
                cell[1] += 1
                cell[3] += outst
                cell[4] += arrears
                cell[4 + st] += 1
                if st >= 2:
                    cell[9] += outst
                if st == 4:
                    cell[10] += outst
            prev = st
            if m == last:
                for j, x in enumerate(xs):
                    key = (j, x, k)
                    c = attr.get(key)
                    if c is None:
                        c = attr[key] = [0, 0]
                    c[0] += 1
                    if st > 0:
                        c[1] += 1
                if st > 0:
                    dpd = [0, rng.randint(1, 30), rng.randint(31, 60), rng.randint(61, 90),
                           91 + 30 * (in4 - 1) + rng.randint(0, 29)][st]
                    overdue_rows.append((arrears, k, [
                        str(ci + 1), fio, attr_values[region_j][xs[region_j]], phone,
                        loan_name(rng), money(amount), str(dpd), BUCKET_NAMES[st], money(arrears),
                        money(outst)]))
        vkey = (s, k, first30)
        vint[vkey] = vint.get(vkey, 0) + 1

    # tables, column-wise; mb by key, then month (as overdue-report writes it)
    keys = sorted(mb, key=lambda x: (x % KS, x // KS))
    out["mb"] = {"m": [x // KS for x in keys], "k": [x % KS for x in keys]}
    for c in MB_COLS:
        j = CELL.index(c)
        if c in MB_ROUBLES:
            out["mb"][c] = [(mb[x][j] + 50) // 100 for x in keys]
        else:
            out["mb"][c] = [mb[x][j] for x in keys]
    # last: the last two months' exact money per key; ik = issued up to the month
    issued = {}
    for x in sorted(mb, key=lambda x: x // KS):
        m, k = divmod(x, KS)
        issued.setdefault(k, []).append((m, mb[x][CELL.index("ik")]))
    out["last"] = {c: [] for c in ["m", "k"] + LAST_COLS}
    for m in range(max(0, last - 1), last + 1):
        for k in sorted(issued):
            cell = mb.get(m * KS + k)
            o = cell[CELL.index("out")] if cell else 0
            ik = sum(v for mm, v in issued[k] if mm <= m)
            if o == 0 and ik == 0:
                continue
            out["last"]["m"].append(m)
            out["last"]["k"].append(k)
            for c in LAST_COLS:
                out["last"][c].append(ik if c == "ik" else (cell[CELL.index(c)] if cell else 0))
    rk = sorted(roll)
    out["roll"] = {"k": [x[0] for x in rk], "f": [x[1] for x in rk], "t": [x[2] for x in rk],
                   "n": [roll[x] for x in rk]}
    vk = sorted(vint)
    out["vint"] = {"v": [x[0] for x in vk], "k": [x[1] for x in vk], "f": [x[2] for x in vk],
                   "n": [vint[x] for x in vk]}
    out["attr"] = {}
    for j, (name, values, _, _) in enumerate(ATTRS):
        vals = [("unknown" if v is None else v) for v in attr_values[j]]
        ak = sorted(x for x in attr if x[0] == j)
        out["attr"][name] = {"values": vals, "x": [x[1] for x in ak], "k": [x[2] for x in ak],
                             "a": [attr[x][0] for x in ak], "o": [attr[x][1] for x in ak]}
    # overdue loans, largest arrears first; at most `limit` per seed bucket
    overdue_rows.sort(key=lambda r: (-r[0], r[2][0], r[2][4]))
    per_bucket = [0, 0, 0, 0]
    lk, lrows = [], []
    for arr, k, row in overdue_rows:
        b = 0 if k < 100 else 1 if k < 200 else 2 if k < 1000 else 3
        if limit is not None and per_bucket[b] >= limit:
            continue
        per_bucket[b] += 1
        lk.append(k)
        lrows.append(row)
    out["loans"] = {"limit": limit, "total": len(overdue_rows), "cols": loan_cols(), "k": lk, "rows": lrows}
    emit(out)


def loan_cols():
    return ["client_id", "fio", "region", "phone", "loan_name", "loan_amount",
            "dpd", "dpd_bucket", "arrears", "outstanding"]


def loan_name(rng):
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)) + "-%05d" % rng.randrange(100000)


def money(k):
    return "%d.%02d" % divmod(k, 100)


def emit(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
