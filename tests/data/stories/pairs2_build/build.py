import re, sys, urllib.parse, glob
ITEMS={}; PAIRS=[]
def slug(url):
    u=urllib.parse.unquote(url)
    parts=[p for p in u.rstrip('/').split('/') if p]
    # choose the longest path segment with arabic letters
    cands=[p for p in parts[2:] if re.search('[\u0600-\u06FF]',p)]
    if not cands: return ''
    s=max(cands,key=len)
    s=re.sub(r'\.(html?|php|aspx)$','',s)
    s=re.sub(r'^\d+[-_]','',s); s=re.sub(r'[-_]\d+$','',s)
    s=s.replace('-',' ').replace('_',' ').replace('+',' ')
    return re.sub(r'\s+',' ',s).strip()
def I(key,outlet,url,head,lead,date='',ev=''):
    assert key not in ITEMS, key
    if head is None: head=slug(url)
    clean=lambda t: re.sub(r'\s+',' ',t.replace('\t',' ')).strip()
    ITEMS[key]=dict(outlet=outlet,url=url,head=clean(head),lead=clean(lead),date=date,ev=ev)
def P(label,a,b,kind,note):
    PAIRS.append((label,a,b,kind,note))
for f in sorted(glob.glob('/work/pairs2/data_*.py')):
    exec(open(f,encoding='utf-8').read())
hdr='id\tlabel\ta_headline\ta_lead\ta_source\tb_headline\tb_lead\tb_source\tkind\tnote\ta_date\tb_date\tdate_evidence'
out=[hdr]; seen=set()
for n,(label,a,b,kind,note) in enumerate(PAIRS,1):
    A,B=ITEMS[a],ITEMS[b]
    assert label in('same','different'); assert A['outlet']!=B['outlet'],(a,b)
    assert (label=='same')==(kind=='paraphrase'),(a,b)
    assert A['head'] and B['head'],(a,b)
    k=tuple(sorted((a,b))); assert k not in seen,k; seen.add(k)
    ev='a:'+(A['ev'] or 'none')+'; b:'+(B['ev'] or 'none')
    out.append('\t'.join([f'q{n:03d}',label,A['head'],A['lead'],f"{A['outlet']} | {A['url']}",B['head'],B['lead'],f"{B['outlet']} | {B['url']}",kind,note,A['date'],B['date'],ev]))
open('/work/pairs2/pairs2.tsv','w',encoding='utf-8').write('\n'.join(out)+'\n')
from collections import Counter
print(len(PAIRS),Counter(p[0] for p in PAIRS),Counter(p[3] for p in PAIRS))
