//! The default theme's interface strings in the languages dossier ships (en, de, fr, es, ja,
//! zh), chosen by the page's language, with `[strings]` from dossier.toml on top.

use crate::model::{Kind, Status};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Keys, then the English, German, French, Spanish, Japanese and Chinese text.
const TABLE: &[(&str, [&str; 6])] = &[
    (
        "skip",
        [
            "Skip to content",
            "Zum Inhalt springen",
            "Aller au contenu",
            "Saltar al contenido",
            "本文へスキップ",
            "跳到正文",
        ],
    ),
    ("menu", ["Menu", "Menü", "Menu", "Menú", "メニュー", "菜单"]),
    ("main_nav", ["Main", "Hauptnavigation", "Principal", "Principal", "メイン", "主导航"]),
    ("theme", ["Theme", "Design", "Thème", "Tema", "テーマ", "主题"]),
    (
        "theme_toggle",
        [
            "Switch between light and dark mode",
            "Zwischen hellem und dunklem Modus wechseln",
            "Basculer entre mode clair et sombre",
            "Cambiar entre modo claro y oscuro",
            "ライトモードとダークモードを切り替える",
            "切换浅色和深色模式",
        ],
    ),
    ("search", ["Search", "Suche", "Recherche", "Buscar", "検索", "搜索"]),
    ("search_short", ["Search  /", "Suchen  /", "Rechercher  /", "Buscar  /", "検索  /", "搜索  /"]),
    ("documents", ["Documents", "Dokumente", "Documents", "Documentos", "文書", "文档"]),
    ("built_with", ["Built with", "Erstellt mit", "Construit avec", "Creado con", "作成:", "构建工具"]),
    ("home", ["Home", "Start", "Accueil", "Inicio", "ホーム", "首页"]),
    ("decisions", ["Decisions", "Entscheidungen", "Décisions", "Decisiones", "決定", "决策"]),
    ("design_docs", ["Design docs", "Entwürfe", "Conceptions", "Diseños", "設計書", "设计文档"]),
    ("timeline", ["Timeline", "Zeitleiste", "Chronologie", "Cronología", "年表", "时间线"]),
    ("graph", ["Graph", "Graph", "Graphe", "Grafo", "グラフ", "关系图"]),
    ("tags", ["Tags", "Schlagwörter", "Étiquettes", "Etiquetas", "タグ", "标签"]),
    ("authors", ["Authors", "Autoren", "Auteurs", "Autores", "著者", "作者"]),
    ("contents", ["Contents", "Inhalt", "Sommaire", "Contenido", "目次", "目录"]),
    ("relations", ["Relations", "Beziehungen", "Relations", "Relaciones", "関連", "关系"]),
    ("referenced_by", ["Referenced by", "Verwiesen von", "Cité par", "Referenciado por", "参照元", "被引用"]),
    ("previous", ["Previous", "Zurück", "Précédent", "Anterior", "前へ", "上一篇"]),
    ("next", ["Next", "Weiter", "Suivant", "Siguiente", "次へ", "下一篇"]),
    (
        "search_label",
        [
            "Search the knowledge base",
            "Die Wissensbasis durchsuchen",
            "Rechercher dans la base",
            "Buscar en la base de conocimiento",
            "ナレッジベースを検索",
            "搜索知识库",
        ],
    ),
    (
        "search_placeholder",
        [
            "Words, a title or an ID such as ADR-12",
            "Wörter, ein Titel oder eine ID wie ADR-12",
            "Des mots, un titre ou un identifiant comme ADR-12",
            "Palabras, un título o un ID como ADR-12",
            "単語、タイトル、または ADR-12 のような ID",
            "词语、标题或 ADR-12 这样的编号",
        ],
    ),
    ("kind", ["Kind", "Art", "Type", "Tipo", "種類", "类型"]),
    ("status", ["Status", "Status", "Statut", "Estado", "状態", "状态"]),
    ("tag", ["Tag", "Schlagwort", "Étiquette", "Etiqueta", "タグ", "标签"]),
    ("any", ["Any", "Alle", "Tous", "Cualquiera", "すべて", "全部"]),
    ("results", ["Results", "Ergebnisse", "Résultats", "Resultados", "結果", "结果"]),
    // The search client's sentences (search.js, search-box.js; sent in search/meta.json, see
    // `Ui::search_client`): `{n}` a count, `{q}` the query.
    (
        "search_none",
        [
            "No results for \u{201c}{q}\u{201d}.",
            "Keine Ergebnisse für \u{201e}{q}\u{201c}.",
            "Aucun résultat pour « {q} ».",
            "No hay resultados para \u{201c}{q}\u{201d}.",
            "「{q}」に一致する結果はありません。",
            "没有与“{q}”匹配的结果。",
        ],
    ),
    ("search_none_short", ["No results", "Keine Ergebnisse", "Aucun résultat", "Sin resultados", "結果なし", "无结果"]),
    ("search_count_one", ["{n} result", "{n} Ergebnis", "{n} résultat", "{n} resultado", "{n} 件", "{n} 个结果"]),
    (
        "search_count_other",
        ["{n} results", "{n} Ergebnisse", "{n} résultats", "{n} resultados", "{n} 件", "{n} 个结果"],
    ),
    (
        "search_showing",
        [
            ", showing the first {n}",
            ", die ersten {n} werden gezeigt",
            ", les {n} premiers affichés",
            ", se muestran los primeros {n}",
            "、最初の {n} 件を表示",
            "，显示前 {n} 个",
        ],
    ),
    (
        "search_shown",
        [", {n} shown", ", {n} gezeigt", ", {n} affichés", ", {n} mostrados", "、{n} 件を表示", "，显示 {n} 个"],
    ),
    (
        "search_more",
        [
            "Show more results",
            "Weitere Ergebnisse zeigen",
            "Afficher plus de résultats",
            "Mostrar más resultados",
            "さらに結果を表示",
            "显示更多结果",
        ],
    ),
    (
        "search_all_one",
        [
            "{n} result for \u{201c}{q}\u{201d}",
            "{n} Ergebnis für \u{201e}{q}\u{201c}",
            "{n} résultat pour « {q} »",
            "{n} resultado para \u{201c}{q}\u{201d}",
            "「{q}」の結果 {n} 件",
            "“{q}”的 {n} 个结果",
        ],
    ),
    (
        "search_all_other",
        [
            "All {n} results for \u{201c}{q}\u{201d}",
            "Alle {n} Ergebnisse für \u{201e}{q}\u{201c}",
            "Les {n} résultats pour « {q} »",
            "Los {n} resultados para \u{201c}{q}\u{201d}",
            "「{q}」の結果 {n} 件すべて",
            "“{q}”的全部 {n} 个结果",
        ],
    ),
    (
        "search_results",
        [
            "Search results",
            "Suchergebnisse",
            "Résultats de recherche",
            "Resultados de búsqueda",
            "検索結果",
            "搜索结果",
        ],
    ),
    (
        "decision_log",
        [
            "Decision log",
            "Entscheidungsprotokoll",
            "Journal des décisions",
            "Registro de decisiones",
            "決定の記録",
            "决策记录",
        ],
    ),
    ("title", ["Title", "Titel", "Titre", "Título", "タイトル", "标题"]),
    ("date", ["Date", "Datum", "Date", "Fecha", "日付", "日期"]),
    ("decided", ["Decided", "Entschieden", "Décidé", "Decidido", "決定日", "决定日期"]),
    (
        "page_not_found",
        [
            "Page not found",
            "Seite nicht gefunden",
            "Page introuvable",
            "Página no encontrada",
            "ページが見つかりません",
            "页面不存在",
        ],
    ),
    (
        "waiting",
        [
            "Waiting for a decision",
            "Wartet auf Entscheidung",
            "En attente de décision",
            "Pendiente de decisión",
            "決定待ち",
            "待决定",
        ],
    ),
    ("statuses", ["Statuses", "Status", "Statuts", "Estados", "状態", "状态"]),
    ("author", ["Author", "Autor", "Auteur", "Autor", "著者", "作者"]),
    ("pages", ["Pages", "Seiten", "Pages", "Páginas", "ページ", "页面"]),
    ("kind_adr", ["Decision", "Entscheidung", "Décision", "Decisión", "決定", "决策"]),
    ("kind_design", ["Design doc", "Designdokument", "Conception", "Diseño", "設計書", "设计文档"]),
    ("kind_page", ["Page", "Seite", "Page", "Página", "ページ", "页面"]),
    ("status_draft", ["Draft", "Entwurf", "Brouillon", "Borrador", "草案", "草稿"]),
    ("status_proposed", ["Proposed", "Vorgeschlagen", "Proposé", "Propuesto", "提案", "提议"]),
    ("status_accepted", ["Accepted", "Angenommen", "Accepté", "Aceptado", "承認", "已接受"]),
    ("status_implemented", ["Implemented", "Umgesetzt", "Mis en œuvre", "Implementado", "実装済み", "已实施"]),
    ("status_rejected", ["Rejected", "Abgelehnt", "Rejeté", "Rechazado", "却下", "已拒绝"]),
    ("status_deprecated", ["Deprecated", "Veraltet", "Obsolète", "Obsoleto", "非推奨", "已弃用"]),
    ("status_superseded", ["Superseded", "Ersetzt", "Remplacé", "Reemplazado", "置換済み", "已取代"]),
    ("status_unknown", ["No status", "Kein Status", "Sans statut", "Sin estado", "状態なし", "无状态"]),
    ("superseded_by", ["Superseded by", "Ersetzt durch", "Remplacé par", "Reemplazado por", "置換先", "取代者"]),
];

/// The languages of `TABLE`'s columns.
const LANGS: [&str; 6] = ["en", "de", "fr", "es", "ja", "zh"];

/// The month names of the languages with words for them (Japanese and Chinese write numbers).
const MONTHS: [[&str; 12]; 4] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
];

/// The column of `TABLE` for `lang` (its primary subtag; English when dossier has none for it).
fn column(lang: &str) -> usize {
    let primary = crate::search::primary_language(lang);
    LANGS.iter().position(|l| *l == primary).unwrap_or(0)
}

/// The strings for a page in `lang` (its primary subtag; English when dossier has none for it),
/// with the site's `[strings]` overrides.
pub fn strings(lang: &str, overrides: &BTreeMap<String, String>) -> BTreeMap<&'static str, String> {
    let col = column(lang);
    TABLE
        .iter()
        .map(|(key, texts)| (*key, overrides.get(*key).cloned().unwrap_or_else(|| texts[col].to_string())))
        .collect()
}

/// One page's interface language: what status names, kinds, dates and page titles are built
/// with. Keys (URLs, CSS classes, dossier.json, search facets) stay English; only shown text
/// changes.
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    col: usize,
    overrides: &'a BTreeMap<String, String>,
}

impl<'a> Ui<'a> {
    pub fn new(lang: &str, overrides: &'a BTreeMap<String, String>) -> Ui<'a> {
        Ui { col: column(lang), overrides }
    }

    /// The text of `key` (a key of `TABLE`), overridden by `[strings]`.
    pub fn get(&self, key: &str) -> Cow<'a, str> {
        if let Some(o) = self.overrides.get(key) {
            return Cow::Owned(o.clone());
        }
        let texts = TABLE.iter().find(|(k, _)| *k == key).map(|(_, t)| t);
        Cow::Borrowed(texts.map_or("", |t| t[self.col]))
    }

    /// A status's name in this language (`Accepted`, `Angenommen`, `承認`).
    pub fn status(&self, s: Status) -> Cow<'a, str> {
        self.get(&format!("status_{}", s.as_str()))
    }

    /// What a document's status shows: the author's wording, unless it is just the status's
    /// English name on a page in another language (or one `[strings]` renames), which is then
    /// translated.
    pub fn status_label<'s>(&self, raw: Option<&'s str>, s: Status) -> Cow<'s, str>
    where
        'a: 's,
    {
        match raw {
            Some(r) if !r.is_empty() && !self.renames(r, s) => Cow::Borrowed(r),
            _ => self.status(s),
        }
    }

    /// Whether the author's `raw` wording is just `s`'s English name, shown translated (or
    /// renamed by `[strings]`) instead.
    fn renames(&self, raw: &str, s: Status) -> bool {
        let translated = self.col != 0 || self.overrides.contains_key(&format!("status_{}", s.as_str()));
        translated && raw.eq_ignore_ascii_case(english_status(s))
    }

    /// A kind's name (`Decision`), or its plural (`Decisions`) with `plural`.
    pub fn kind(&self, k: Kind, plural: bool) -> Cow<'a, str> {
        self.get(match (k, plural) {
            (Kind::Adr, false) => "kind_adr",
            (Kind::Design, false) => "kind_design",
            (Kind::Page, false) => "kind_page",
            (Kind::Adr, true) => "decisions",
            (Kind::Design, true) => "design_docs",
            (Kind::Page, true) => "pages",
        })
    }

    /// A month key (`2024-03`) in words: `March 2024`, `März 2024`, `marzo de 2024`, `2024年3月`.
    pub fn month(&self, key: &str) -> String {
        let (y, m) = key.split_once('-').unwrap_or((key, "01"));
        let m: usize = m.parse::<usize>().unwrap_or(1).clamp(1, 12);
        self.fill(self.month_pattern(), y, m, "")
    }

    /// How a month is written: `{month}` its name, `{m}` its number, `{y}` the year.
    fn month_pattern(&self) -> &'static str {
        match self.col {
            4 | 5 => "{y}年{m}月",
            3 => "{month} de {y}",
            _ => "{month} {y}",
        }
    }

    /// How a day is written (`{d}` the day of the month without a leading zero), or None where
    /// it stays ISO (English).
    fn day_pattern(&self) -> Option<&'static str> {
        match self.col {
            0 => None,
            1 => Some("{d}. {month} {y}"),
            2 => Some("{d} {month} {y}"),
            3 => Some("{d} de {month} de {y}"),
            _ => Some("{y}年{m}月{d}日"),
        }
    }

    fn fill(&self, pattern: &str, y: &str, m: usize, d: &str) -> String {
        let month = MONTHS.get(self.col).map_or("", |names| names[m - 1]);
        pattern.replace("{month}", month).replace("{m}", &m.to_string()).replace("{d}", d).replace("{y}", y)
    }

    /// What the search client shows in this language (search/meta.json's `ui`): its sentences
    /// and the status and kind names by key (`t`), the day and month patterns of `date` and
    /// `month` (`day` null where days stay ISO), and the month names.
    pub fn search_client(&self) -> serde_json::Value {
        const SENTENCES: [&str; 10] = [
            "search_none",
            "search_none_short",
            "search_count_one",
            "search_count_other",
            "search_showing",
            "search_shown",
            "search_more",
            "search_all_one",
            "search_all_other",
            "search_results",
        ];
        let names = TABLE.iter().map(|(k, _)| *k).filter(|k| k.starts_with("status_") || k.starts_with("kind_"));
        let keys = SENTENCES.into_iter().chain(names);
        let t: serde_json::Map<String, serde_json::Value> =
            keys.map(|k| (k.to_string(), self.get(k).into_owned().into())).collect();
        let months: Vec<&str> = MONTHS.get(self.col).map_or(vec![], |m| m.to_vec());
        serde_json::json!({"t": t, "day": self.day_pattern(), "month": self.month_pattern(), "months": months})
    }

    /// A date as shown: a month (`2020-07`) in words, a day (`2024-03-01`) in words in every
    /// language but English (`1. März 2024`, `1 mars 2024`, `1 de marzo de 2024`,
    /// `2024年3月1日`), anything else as it is. `<time datetime>` keeps the ISO form.
    pub fn date(&self, date: &str) -> String {
        let b = date.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
        let month = date.get(5..7).and_then(|m| m.parse::<usize>().ok()).filter(|m| (1..=12).contains(m));
        let dashed = b.get(4) == Some(&b'-') && digits(0..4);
        match (month, date.len(), self.day_pattern()) {
            (Some(_), 7, _) if dashed => self.month(date),
            (Some(m), 10, Some(pattern)) if dashed && b[7] == b'-' && digits(8..10) => {
                self.fill(pattern, &date[..4], m, date[8..10].trim_start_matches('0'))
            }
            _ => date.to_string(),
        }
    }
}

/// A status's English name, as authors write it.
fn english_status(s: Status) -> &'static str {
    let key = format!("status_{}", s.as_str());
    TABLE.iter().find(|(k, _)| *k == key).map_or("", |(_, t)| t[0])
}

/// The key of a navigation label (`Design docs` → `design_docs`).
pub fn nav_key(label: &str) -> String {
    label.to_lowercase().replace(' ', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_client_gets_the_sentences_names_and_date_patterns_of_the_pages() {
        let none = BTreeMap::new();
        let over: BTreeMap<String, String> = [("kind_design".to_string(), "Note".to_string())].into();
        let fr = Ui::new("fr", &over).search_client();
        assert_eq!(fr["t"]["search_none"], "Aucun résultat pour « {q} ».");
        assert_eq!(fr["t"]["status_accepted"], "Accepté");
        assert_eq!(fr["t"]["kind_design"], "Note");
        assert!(fr["t"].get("search_placeholder").is_none(), "only what the client shows");
        // The patterns, filled as search.js fills them, give what `date` gives the pages.
        for lang in ["en", "de", "fr", "es", "ja", "zh"] {
            let ui = Ui::new(lang, &none);
            let c = ui.search_client();
            let fill = |p: &str, d: &str| {
                let month = c["months"].get(2).and_then(|m| m.as_str()).unwrap_or("");
                p.replace("{month}", month).replace("{m}", "3").replace("{d}", d).replace("{y}", "2024")
            };
            let day = c["day"].as_str().map_or("2024-03-01".to_string(), |p| fill(p, "1"));
            assert_eq!(day, ui.date("2024-03-01"), "{lang}");
            assert_eq!(fill(c["month"].as_str().unwrap(), ""), ui.date("2024-03"), "{lang}");
        }
    }

    #[test]
    fn language_then_overrides() {
        let none = BTreeMap::new();
        assert_eq!(strings("de-CH", &none)["search"], "Suche");
        assert_eq!(strings("ja", &none)["referenced_by"], "参照元");
        assert_eq!(strings("xx", &none)["decisions"], "Decisions");
        let over: BTreeMap<String, String> = [("decisions".to_string(), "ADRs".to_string())].into();
        assert_eq!(strings("fr", &over)["decisions"], "ADRs");
        assert_eq!(strings("fr", &over)["search"], "Recherche");
        assert!(TABLE.iter().all(|(_, t)| t.iter().all(|s| !s.is_empty())));
        assert_eq!(nav_key("Design docs"), "design_docs");
    }

    #[test]
    fn dates_per_language() {
        let none = BTreeMap::new();
        let date = |lang: &str, d: &str| Ui::new(lang, &none).date(d);
        assert_eq!(date("en", "2024-03-01"), "2024-03-01");
        assert_eq!(date("en", "2024-03"), "March 2024");
        assert_eq!(date("de", "2024-03-01"), "1. März 2024");
        assert_eq!(date("de-AT", "2024-12"), "Dezember 2024");
        assert_eq!(date("fr", "2024-03-01"), "1 mars 2024");
        assert_eq!(date("fr", "2024-08-15"), "15 août 2024");
        assert_eq!(date("es", "2024-03-01"), "1 de marzo de 2024");
        assert_eq!(date("es", "2024-03"), "marzo de 2024");
        assert_eq!(date("ja", "2024-03-01"), "2024年3月1日");
        assert_eq!(date("zh-Hans", "2024-10-20"), "2024年10月20日");
        assert_eq!(date("ja", "2024-03"), "2024年3月");
        // Anything that is not a plain month or day stays as written.
        for odd in ["2024", "2024-13-01", "2024-03-01T10:00", "next week", "", "2024-3-1"] {
            assert_eq!(date("de", odd), odd);
        }
        assert_eq!(date("xx", "2024-03-01"), "2024-03-01");
    }

    #[test]
    fn status_names_translate_but_an_authors_own_wording_stays() {
        let none = BTreeMap::new();
        let (de, en, ja) = (Ui::new("de", &none), Ui::new("en", &none), Ui::new("ja", &none));
        assert_eq!(de.status_label(None, Status::Accepted), "Angenommen");
        assert_eq!(de.status_label(Some("accepted"), Status::Accepted), "Angenommen");
        assert_eq!(ja.status_label(Some("Superseded"), Status::Superseded), "置換済み");
        assert_eq!(de.status_label(Some("Under Review"), Status::Proposed), "Under Review");
        assert_eq!(en.status_label(Some("accepted"), Status::Accepted), "accepted");
        assert_eq!(en.status_label(None, Status::Unknown), "No status");
        let over: BTreeMap<String, String> = [("status_accepted".to_string(), "Approved".to_string())].into();
        assert_eq!(Ui::new("en", &over).status_label(Some("Accepted"), Status::Accepted), "Approved");
        assert_eq!(de.kind(Kind::Adr, false), "Entscheidung");
        assert_eq!(Ui::new("fr", &none).kind(Kind::Design, true), "Conceptions");
        for s in Status::ALL {
            assert_eq!(en.status(s), crate::render::view::status_title(s));
            assert!(TABLE.iter().any(|(k, _)| *k == format!("status_{}", s.as_str())), "{s:?}");
        }
    }
}
