import json,glob,os
Q={
"ja-cache":["起動","再計算"],"ja-deploy":["検証","記録"],"ja-search":["関連","誤字"],"ja-review":["同僚","議事録"],
"zh-storage":["附件","备份"],"zh-login":["验证码","锁定"],"zh-monitor":["阈值","短信"],"zh-schedule":["回归测试","缺陷"],
"ko-backup":["보관","복구"],"ko-api":["인증","재시도"],"ko-onboarding":["노트북","선배"],"ko-privacy":["암호화","감사"],
"de-vertrag":["Rechtsabteilung","Zahlungsbedingungen"],"de-server":["Keller","Rechenzentrum"],"de-urlaub":["Abwesenheiten","Vertretung"],"de-schulung":["Barrierefreiheit","Unterlagen"],
"fr-cache":["générée","recalculées"],"fr-acces":["trimestre","désactivés"],"fr-traduction":["bénévoles","relues"],"fr-journal":["exception","comportement"],
}
INF={"de-vertrag":["Vertrag","Lieferanten verträge"],"de-server":["Datenbank"],"de-urlaub":["Kalendern"],"fr-cache":["génère"],"fr-acces":["administrateurs"],"fr-journal":["journal"],"fr-traduction":["traducteur"]}
texts={os.path.basename(p)[:-3]:open(p).read() for p in glob.glob('tests/fixtures/search-i18n/design/*.md')}
out=[]
for d,ws in Q.items():
    for w in ws:
        n=[k for k,t in texts.items() if w.lower() in t.lower()]
        assert n==[d],(w,n)
        out.append({"q":w,"want":f"design/{d}.md"})
rule="tests/fixtures/search-i18n: two words per document, each inside a sentence of the body (never its first word), found in that document only (checked by substring); CJK words are 2-4 characters inside a longer unspaced run; written by hand before the segmenter was built."
json.dump({"set":"i18n mid-sentence","rule":rule,"queries":out},open('tests/search-queries/i18n-words.json','w'),ensure_ascii=False)
inf=[{"q":w,"want":f"design/{d}.md"} for d,ws in INF.items() for w in ws]
json.dump({"set":"i18n inflected","rule":"tests/fixtures/search-i18n: German and French words of the bodies in another inflected form (number, case, verb form), written by hand before stemming was built.","queries":inf},open('tests/search-queries/i18n-inflected.json','w'),ensure_ascii=False)
print(len(out),len(inf))
