import sys; sys.path.insert(0,'/work/pairs2')
import re,urllib.parse
exec(open('/work/pairs2/build.py').read().split('def I(')[0])
for l in sys.stdin:
    l=l.strip()
    if l: print(slug(l),' <= ',urllib.parse.unquote(l)[:80])
