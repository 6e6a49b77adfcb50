//! The default theme's interface strings in the languages dossier ships (en, de, fr, es, ja,
//! zh), chosen by the page's language, with `[strings]` from dossier.toml on top.

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
];

/// The languages of `TABLE`'s columns.
const LANGS: [&str; 6] = ["en", "de", "fr", "es", "ja", "zh"];

/// The strings for a page in `lang` (its primary subtag; English when dossier has none for it),
/// with the site's `[strings]` overrides.
pub fn strings(lang: &str, overrides: &BTreeMap<String, String>) -> BTreeMap<&'static str, String> {
    let primary = crate::search::primary_language(lang);
    let col = LANGS.iter().position(|l| *l == primary).unwrap_or(0);
    TABLE
        .iter()
        .map(|(key, texts)| (*key, overrides.get(*key).cloned().unwrap_or_else(|| texts[col].to_string())))
        .collect()
}

/// The key of a navigation label (`Design docs` → `design_docs`).
pub fn nav_key(label: &str) -> String {
    label.to_lowercase().replace(' ', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
