"""An independent plain-Python implementation of the SDMetrics quality formulas that `medsim ehr
report` computes (no pandas or SDMetrics on this machine), to cross-check the TypeScript on real
files: column shapes (KS / TV complement), pair trends (correlation similarity for two numbers,
contingency similarity otherwise with numbers in 10 equal-width bins), overall = the mean.
"NA" and "" are missing, as in pandas' read_csv. The columns are the synthetic table's.

Run: python3 bench/ehr-quality-check.py real.csv synthetic.csv --numeric pan_day,age,ct_result,col_rec_tat,rec_ver_tat
"""
import csv, sys, math, itertools, collections
real_path, syn_path = sys.argv[1], sys.argv[2]
numeric = sys.argv[sys.argv.index("--numeric") + 1].split(",") if "--numeric" in sys.argv else []
cols = next(csv.reader(open(syn_path)))
def load(p):
    rows = list(csv.DictReader(open(p)))
    out = {}
    for c in cols:
        vals = [r[c] for r in rows]
        if c in numeric:
            out[c] = [float(v) if v not in ("NA", "") else None for v in vals]
        else:
            out[c] = [v if v not in ("NA", "") else None for v in vals]
    return out, len(rows)
R, nr = load(real_path); S, ns = load(syn_path)
def ks(a, b):
    a = sorted(x for x in a if x is not None); b = sorted(x for x in b if x is not None)
    import bisect
    d = 0
    for v in set(a) | set(b):
        d = max(d, abs(bisect.bisect_right(a, v)/len(a) - bisect.bisect_right(b, v)/len(b)))
    return 1 - d
def tv(a, b):
    ca, cb = collections.Counter(a), collections.Counter(b)
    return 1 - 0.5*sum(abs(ca[k]/len(a) - cb[k]/len(b)) for k in set(ca)|set(cb))
def corr(x, y):
    p = [(u, v) for u, v in zip(x, y) if u is not None and v is not None]
    n = len(p); mx = sum(u for u,_ in p)/n; my = sum(v for _,v in p)/n
    sxy = sum((u-mx)*(v-my) for u,v in p); sxx = sum((u-mx)**2 for u,_ in p); syy = sum((v-my)**2 for _,v in p)
    return sxy/math.sqrt(sxx*syy)
def disc(r, s):
    f = [x for x in r if x is not None]; lo, hi = min(f), max(f)
    w = (hi-lo)/10
    def b(x):
        if x is None: return "nan"
        return min(9, max(0, int((x-lo)//w)))
    return [b(x) for x in r], [b(x) for x in s]
shapes = [ks(R[c], S[c]) if c in numeric else tv(R[c], S[c]) for c in cols]
pairs = []
for a, b in itertools.combinations(cols, 2):
    if a in numeric and b in numeric:
        pairs.append(1 - abs(corr(R[a], R[b]) - corr(S[a], S[b]))/2)
    else:
        ra, sa = disc(R[a], S[a]) if a in numeric else (R[a], S[a])
        rb, sb = disc(R[b], S[b]) if b in numeric else (R[b], S[b])
        pairs.append(tv(list(zip(ra, rb)), list(zip(sa, sb))))
cs = sum(shapes)/len(shapes); pt = sum(pairs)/len(pairs)
print(f"overall {(cs+pt)/2:.4f} shapes {cs:.4f} pairs {pt:.4f}")
