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
    ("referenced_by", ["Referenced by", "Referenziert von", "Cité par", "Referenciado por", "参照元", "被引用"]),
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
    ("superseded_by", ["Superseded by", "Ersetzt durch", "Remplacé par", "Reemplazado por", "置換先", "取代者"]), // Sentences and labels of the templates. `{n}` is a count: `one|other` forms, the first for
    // one (French: zero and one), the second for the rest; a text without `|` has one form.
    // English leads that never had a singular keep their one form, so that English pages stay
    // byte-identical (the golden site has counts of one).
    (
        "not_found_text",
        [
            "There is no page at this address. It may have been renamed or removed.",
            "Unter dieser Adresse gibt es keine Seite. Sie wurde vielleicht umbenannt oder entfernt.",
            "Il n’y a aucune page à cette adresse. Elle a peut-être été renommée ou supprimée.",
            "No hay ninguna página en esta dirección. Puede que se haya renombrado o eliminado.",
            "このアドレスにページはありません。名前が変わったか、削除された可能性があります。",
            "此地址没有页面。它可能已被重命名或删除。",
        ],
    ),
    (
        "go_home",
        [
            "Go to the home page",
            "Zur Startseite",
            "Aller à l’accueil",
            "Ir a la página de inicio",
            "ホームへ",
            "前往首页",
        ],
    ),
    (
        "designs_lead",
        [
            "{n} design docs, grouped by status.",
            "{n} Designdokument, nach Status gruppiert.|{n} Designdokumente, nach Status gruppiert.",
            "{n} conception, regroupée par statut.|{n} conceptions, regroupées par statut.",
            "{n} diseño, agrupado por estado.|{n} diseños, agrupados por estado.",
            "設計書 {n} 件、状態ごと。",
            "{n} 份设计文档，按状态分组。",
        ],
    ),
    (
        "printable_view",
        ["Printable view", "Druckansicht", "Version imprimable", "Versión para imprimir", "印刷用ページ", "打印视图"],
    ),
    (
        "print_designs_note",
        [
            ": every design doc on one page, for printing or saving as PDF.",
            ": alle Designdokumente auf einer Seite, zum Drucken oder Speichern als PDF.",
            " : toutes les conceptions sur une seule page, à imprimer ou à enregistrer en PDF.",
            ": todos los diseños en una sola página, para imprimir o guardar como PDF.",
            "：すべての設計書を 1 ページに。印刷や PDF 保存用です。",
            "：所有设计文档集中在一页，便于打印或保存为 PDF。",
        ],
    ),
    (
        "print_log_note",
        [
            ": every decision on one page, for printing or saving as PDF.",
            ": alle Entscheidungen auf einer Seite, zum Drucken oder Speichern als PDF.",
            " : toutes les décisions sur une seule page, à imprimer ou à enregistrer en PDF.",
            ": todas las decisiones en una sola página, para imprimir o guardar como PDF.",
            "：すべての決定を 1 ページに。印刷や PDF 保存用です。",
            "：所有决策集中在一页，便于打印或保存为 PDF。",
        ],
    ),
    (
        "new_one",
        [
            "Writing a new one?",
            "Etwas Neues schreiben?",
            "Vous en rédigez un nouveau ?",
            "¿Vas a escribir uno nuevo?",
            "新しく書くときは:",
            "要写新的？",
        ],
    ),
    (
        "breadcrumbs",
        ["Breadcrumbs", "Brotkrümelnavigation", "Fil d’Ariane", "Ruta de navegación", "パンくずリスト", "面包屑导航"],
    ),
    (
        "status_history",
        ["Status history", "Statusverlauf", "Historique du statut", "Historial de estados", "状態の履歴", "状态历史"],
    ),
    ("by_author", ["by {author}", "von {author}", "par {author}", "por {author}", "（{author}）", "（{author}）"]),
    (
        "banner_superseded_adr",
        [
            "This decision is superseded by {links}.",
            "Diese Entscheidung wird ersetzt durch {links}.",
            "Cette décision est remplacée par {links}.",
            "Esta decisión ha sido reemplazada por {links}.",
            "この決定は {links} に置き換えられました。",
            "此决策已被 {links} 取代。",
        ],
    ),
    (
        "banner_superseded_design",
        [
            "This design doc is superseded by {links}.",
            "Dieses Designdokument wird ersetzt durch {links}.",
            "Cette conception est remplacée par {links}.",
            "Este diseño ha sido reemplazado por {links}.",
            "この設計書は {links} に置き換えられました。",
            "此设计文档已被 {links} 取代。",
        ],
    ),
    (
        "banner_superseded_page",
        [
            "This page is superseded by {links}.",
            "Diese Seite wird ersetzt durch {links}.",
            "Cette page est remplacée par {links}.",
            "Esta página ha sido reemplazada por {links}.",
            "このページは {links} に置き換えられました。",
            "此页面已被 {links} 取代。",
        ],
    ),
    (
        "newest_in_chain",
        [
            "The newest in this chain is {links}.",
            "Das neueste Dokument dieser Kette ist {links}.",
            "Le plus récent de cette chaîne est {links}.",
            "El más reciente de esta cadena es {links}.",
            "このつながりの最新は {links} です。",
            "此链中最新的是 {links}。",
        ],
    ),
    (
        "related_documents",
        [
            "Related documents",
            "Verwandte Dokumente",
            "Documents liés",
            "Documentos relacionados",
            "関連文書",
            "相关文档",
        ],
    ),
    (
        "local_graph_caption",
        [
            "This document (top) and the documents it is connected to.",
            "Dieses Dokument (oben) und die Dokumente, mit denen es verbunden ist.",
            "Ce document (en haut) et les documents auxquels il est lié.",
            "Este documento (arriba) y los documentos con los que está conectado.",
            "この文書（上）と、つながりのある文書。",
            "本文档（顶部）及与其相关联的文档。",
        ],
    ),
    (
        "whole_graph",
        ["The whole graph", "Der ganze Graph", "Le graphe complet", "El grafo completo", "グラフ全体", "完整关系图"],
    ),
    (
        "related_to_title",
        [
            "Documents related to {title}",
            "Mit {title} verbundene Dokumente",
            "Documents liés à {title}",
            "Documentos relacionados con {title}",
            "{title} に関連する文書",
            "与 {title} 相关的文档",
        ],
    ),
    // Relation labels: headings of a document's relations, how a document refers to this one
    // ("Referenced by"), the graph's legend and list.
    ("rel_supersedes", ["Supersedes", "Ersetzt", "Remplace", "Reemplaza a", "置換元", "取代了"]),
    ("rel_amends", ["Amends", "Ändert", "Modifie", "Modifica", "修正対象", "修订了"]),
    ("rel_amended_by", ["Amended by", "Geändert durch", "Modifié par", "Modificado por", "修正元", "修订者"]),
    ("rel_related", ["Related to", "Verwandt mit", "Lié à", "Relacionado con", "関連先", "相关"]),
    ("how_supersedes", ["supersedes it", "ersetzt es", "le remplace", "lo reemplaza", "これを置き換える", "取代本文"]),
    (
        "how_superseded_by",
        [
            "is superseded by it",
            "wird davon ersetzt",
            "est remplacé par lui",
            "es reemplazado por él",
            "これに置き換えられる",
            "被其取代",
        ],
    ),
    ("how_amends", ["amends it", "ändert es", "le modifie", "lo modifica", "これを修正する", "修订本文"]),
    (
        "how_amended_by",
        [
            "is amended by it",
            "wird davon geändert",
            "est modifié par lui",
            "es modificado por él",
            "これに修正される",
            "被其修订",
        ],
    ),
    (
        "how_relates",
        ["relates to it", "bezieht sich darauf", "s’y rapporte", "se relaciona con él", "これに関連する", "与本文相关"],
    ),
    ("how_links", ["links to it", "verlinkt es", "y renvoie", "lo enlaza", "ここへリンクしている", "链接到本文"]),
    ("how_mentions", ["mentions it", "erwähnt es", "le mentionne", "lo menciona", "これに言及している", "提及本文"]),
    ("legend_supersedes", ["supersedes", "ersetzt", "remplace", "reemplaza", "置き換え", "取代"]),
    ("legend_amends", ["amends", "ändert", "modifie", "modifica", "修正", "修订"]),
    ("legend_related", ["related", "verwandt", "lié", "relacionado", "関連", "相关"]),
    ("legend_references", ["refers to", "verweist auf", "renvoie à", "remite a", "参照", "引用"]),
    ("verb_relates", ["relates to", "bezieht sich auf", "se rapporte à", "se relaciona con", "関連", "相关"]),
    ("list_sep", [", ", ", ", ", ", ", ", "、", "、"]),
    ("list_and", [" and ", " und ", " et ", " y ", "、", "和"]),
    (
        "last_updated",
        ["Last updated", "Zuletzt geändert", "Dernière modification", "Última actualización", "最終更新", "最后更新"],
    ),
    ("source", ["Source:", "Quelle:", "Source :", "Fuente:", "ソース:", "源文件："]),
    (
        "edit_page",
        [
            "Edit this page",
            "Diese Seite bearbeiten",
            "Modifier cette page",
            "Editar esta página",
            "このページを編集",
            "编辑此页",
        ],
    ),
    (
        "prev_next",
        [
            "Previous and next",
            "Vorheriges und nächstes",
            "Précédent et suivant",
            "Anterior y siguiente",
            "前後の文書",
            "上一篇和下一篇",
        ],
    ),
    (
        "graph_all",
        [
            "Relation graph: all documents",
            "Beziehungsgraph: alle Dokumente",
            "Graphe des relations : tous les documents",
            "Grafo de relaciones: todos los documentos",
            "関係グラフ: すべての文書",
            "关系图：所有文档",
        ],
    ),
    (
        "graph_adrs",
        [
            "Relation graph: decisions",
            "Beziehungsgraph: Entscheidungen",
            "Graphe des relations : décisions",
            "Grafo de relaciones: decisiones",
            "関係グラフ: 決定",
            "关系图：决策",
        ],
    ),
    (
        "n_docs",
        [
            "{n} document|{n} documents",
            "{n} Dokument|{n} Dokumente",
            "{n} document|{n} documents",
            "{n} documento|{n} documentos",
            "文書 {n} 件",
            "{n} 篇文档",
        ],
    ),
    (
        "graph_edges",
        [
            ", {n} links between them.",
            ", {n} Verbindung zwischen ihnen.|, {n} Verbindungen zwischen ihnen.",
            ", {n} lien entre eux.|, {n} liens entre eux.",
            ", {n} enlace entre ellos.|, {n} enlaces entre ellos.",
            "、その間のリンク {n} 本。",
            "，其间 {n} 条链接。",
        ],
    ),
    (
        "graph_show_adrs",
        [
            "Show decisions only",
            "Nur Entscheidungen zeigen",
            "Afficher uniquement les décisions",
            "Mostrar solo las decisiones",
            "決定だけを表示",
            "仅显示决策",
        ],
    ),
    (
        "graph_show_all",
        [
            "Show design docs and references too",
            "Auch Designdokumente und Verweise zeigen",
            "Afficher aussi les conceptions et les références",
            "Mostrar también diseños y referencias",
            "設計書と参照も表示",
            "同时显示设计文档和引用",
        ],
    ),
    ("show_kinds", ["Show kinds", "Arten zeigen", "Types affichés", "Tipos mostrados", "表示する種類", "显示类型"]),
    (
        "show_statuses",
        ["Show statuses", "Status zeigen", "Statuts affichés", "Estados mostrados", "表示する状態", "显示状态"],
    ),
    (
        "as_list",
        [
            "{title}, as a list",
            "{title}, als Liste",
            "{title}, sous forme de liste",
            "{title}, como lista",
            "{title}（リスト）",
            "{title}（列表）",
        ],
    ),
    ("since", ["since {date}", "seit {date}", "depuis {date}", "desde {date}", "{date} から", "自 {date} 起"]),
    (
        "all_waiting",
        [
            "All {n} waiting",
            "Alle {n} wartenden",
            "Les {n} en attente",
            "Los {n} pendientes",
            "決定待ち {n} 件すべて",
            "全部 {n} 项待决定",
        ],
    ),
    (
        "waiting_list",
        [
            "The waiting list",
            "Die Warteliste",
            "La liste d’attente",
            "La lista de pendientes",
            "決定待ちの一覧",
            "待决定列表",
        ],
    ),
    (
        "status_overview",
        [
            "Status overview",
            "Statusübersicht",
            "Vue d’ensemble des statuts",
            "Resumen de estados",
            "状態の概要",
            "状态概览",
        ],
    ),
    ("recent", ["Recent", "Zuletzt", "Récents", "Recientes", "最近", "最近"]),
    (
        "count_decisions",
        [
            "{n} decision|{n} decisions",
            "{n} Entscheidung|{n} Entscheidungen",
            "{n} décision|{n} décisions",
            "{n} decisión|{n} decisiones",
            "決定 {n} 件",
            "{n} 项决策",
        ],
    ),
    (
        "count_designs",
        [
            "{n} design doc|{n} design docs",
            "{n} Designdokument|{n} Designdokumente",
            "{n} conception|{n} conceptions",
            "{n} diseño|{n} diseños",
            "設計書 {n} 件",
            "{n} 份设计文档",
        ],
    ),
    (
        "count_pages",
        [
            "{n} page|{n} pages",
            "{n} Seite|{n} Seiten",
            "{n} page|{n} pages",
            "{n} página|{n} páginas",
            "ページ {n} 件",
            "{n} 个页面",
        ],
    ),
    (
        "site_holds",
        [
            "This site holds {list}.",
            "Diese Website enthält {list}.",
            "Ce site contient {list}.",
            "Este sitio contiene {list}.",
            "このサイトには{list}があります。",
            "本站包含{list}。",
        ],
    ),
    (
        "no_documents",
        [
            "No documents yet.",
            "Noch keine Dokumente.",
            "Aucun document pour l’instant.",
            "Todavía no hay documentos.",
            "まだ文書がありません。",
            "还没有文档。",
        ],
    ),
    (
        "n_documents",
        [
            "{n} document.|{n} documents.",
            "{n} Dokument.|{n} Dokumente.",
            "{n} document.|{n} documents.",
            "{n} documento.|{n} documentos.",
            "文書 {n} 件。",
            "{n} 篇文档。",
        ],
    ),
    (
        "log_lead",
        [
            "{n} decisions. Select a column heading to sort.",
            "{n} Entscheidung. Zum Sortieren eine Spaltenüberschrift wählen.|{n} Entscheidungen. Zum Sortieren eine Spaltenüberschrift wählen.",
            "{n} décision. Choisissez un en-tête de colonne pour trier.|{n} décisions. Choisissez un en-tête de colonne pour trier.",
            "{n} decisión. Elige el encabezado de una columna para ordenar.|{n} decisiones. Elige el encabezado de una columna para ordenar.",
            "決定 {n} 件。列の見出しを選ぶと並べ替えます。",
            "{n} 项决策。选择列标题即可排序。",
        ],
    ),
    (
        "print_lead",
        [
            "{n} documents, each on its own printed page. Print this page or save it as PDF;",
            "{n} Dokument auf einer eigenen Druckseite. Drucken Sie diese Seite oder speichern Sie sie als PDF;|{n} Dokumente, jedes auf einer eigenen Druckseite. Drucken Sie diese Seite oder speichern Sie sie als PDF;",
            "{n} document, sur sa propre page imprimée. Imprimez cette page ou enregistrez-la en PDF ;|{n} documents, chacun sur sa propre page imprimée. Imprimez cette page ou enregistrez-la en PDF ;",
            "{n} documento, en su propia página impresa. Imprime esta página o guárdala como PDF;|{n} documentos, cada uno en su propia página impresa. Imprime esta página o guárdala como PDF;",
            "文書 {n} 件、それぞれ別の印刷ページに。このページを印刷するか PDF で保存してください。",
            "{n} 篇文档，每篇单独一页打印。可打印此页或保存为 PDF；",
        ],
    ),
    (
        "back_to_list",
        ["back to the list", "zurück zur Liste", "retour à la liste", "volver a la lista", "一覧に戻る", "返回列表"],
    ),
    ("full_stop", [".", ".", ".", ".", "。", "。"]),
    ("parts", ["Parts", "Teile", "Parties", "Partes", "分冊", "分部"]),
    ("part_n", ["Part {n}", "Teil {n}", "Partie {n}", "Parte {n}", "第 {n} 部", "第 {n} 部分"]),
    (
        "part_of",
        [
            "{title}, part {n} of {m}",
            "{title}, Teil {n} von {m}",
            "{title}, partie {n} sur {m}",
            "{title}, parte {n} de {m}",
            "{title}（全 {m} 部中の第 {n} 部）",
            "{title}（第 {n} 部分，共 {m} 部分）",
        ],
    ),
    (
        "print_title",
        [
            "{title} (print)",
            "{title} (Druckansicht)",
            "{title} (impression)",
            "{title} (impresión)",
            "{title}（印刷用）",
            "{title}（打印版）",
        ],
    ),
    (
        "search_needs_js",
        [
            "Search needs JavaScript. Browse instead:",
            "Die Suche braucht JavaScript. Stattdessen stöbern:",
            "La recherche nécessite JavaScript. Parcourez plutôt :",
            "La búsqueda necesita JavaScript. Navega en su lugar:",
            "検索には JavaScript が必要です。代わりにこちらから:",
            "搜索需要 JavaScript。也可以浏览：",
        ],
    ),
    (
        "none_yet",
        ["None yet.", "Noch keine.", "Aucun pour l’instant.", "Todavía ninguno.", "まだありません。", "暂无。"],
    ),
    (
        "timeline_lead",
        [
            "{n} decisions and designs by date, newest first.",
            "{n} Entscheidung oder Entwurf nach Datum, das Neueste zuerst.|{n} Entscheidungen und Entwürfe nach Datum, die neuesten zuerst.",
            "{n} décision ou conception par date, la plus récente d’abord.|{n} décisions et conceptions par date, les plus récentes d’abord.",
            "{n} decisión o diseño por fecha, lo más reciente primero.|{n} decisiones y diseños por fecha, los más recientes primero.",
            "決定と設計書 {n} 件、日付の新しい順。",
            "按日期排列的 {n} 项决策和设计，最新的在前。",
        ],
    ),
    (
        "status_change_by",
        [
            "status change by {author}",
            "Statusänderung von {author}",
            "changement de statut par {author}",
            "cambio de estado por {author}",
            "{author} による状態の変更",
            "由 {author} 更改状态",
        ],
    ),
    ("superseded_by_inline", ["superseded by", "ersetzt durch", "remplacé par", "reemplazado por", "置換先", "取代者"]),
    (
        "no_dates",
        [
            "No document has a date yet.",
            "Noch kein Dokument hat ein Datum.",
            "Aucun document n’a encore de date.",
            "Ningún documento tiene fecha todavía.",
            "日付のある文書はまだありません。",
            "还没有带日期的文档。",
        ],
    ),
    (
        "waiting_lead",
        [
            "{n} proposals and drafts, the longest waiting first, by the date their status was last set.",
            "{n} Vorschlag oder Entwurf, nach dem Datum der letzten Statusänderung.|{n} Vorschläge und Entwürfe, die am längsten wartenden zuerst, nach dem Datum der letzten Statusänderung.",
            "{n} proposition ou brouillon, par date du dernier changement de statut.|{n} propositions et brouillons, les plus anciens d’abord, par date du dernier changement de statut.",
            "{n} propuesta o borrador, por la fecha del último cambio de estado.|{n} propuestas y borradores, los que más esperan primero, por la fecha del último cambio de estado.",
            "提案と草案 {n} 件。状態が最後に設定された日付の古い順です。",
            "{n} 项提议和草稿，按状态最后设定的日期排列，等待最久的在前。",
        ],
    ),
    ("document", ["Document", "Dokument", "Document", "Documento", "文書", "文档"]),
    ("since_heading", ["Since", "Seit", "Depuis", "Desde", "開始日", "起始日期"]),
    // The Atom feed (in the site's language).
    (
        "feed_new",
        [
            "{status} (new)",
            "{status} (neu)",
            "{status} (nouveau)",
            "{status} (nuevo)",
            "{status}（新規）",
            "{status}（新）",
        ],
    ),
    (
        "feed_status",
        [
            "status: {status}",
            "Status: {status}",
            "statut : {status}",
            "estado: {status}",
            "状態: {status}",
            "状态：{status}",
        ],
    ),
    // dossier.js (given to it in a JSON block on pages whose strings are not the English ones).
    ("js_light", ["Light", "Hell", "Clair", "Claro", "ライト", "浅色"]),
    ("js_dark", ["Dark", "Dunkel", "Sombre", "Oscuro", "ダーク", "深色"]),
    (
        "js_waiting_days",
        [
            "waiting for {n} day|waiting for {n} days",
            "wartet seit {n} Tag|wartet seit {n} Tagen",
            "en attente depuis {n} jour|en attente depuis {n} jours",
            "pendiente desde hace {n} día|pendiente desde hace {n} días",
            "{n} 日間待ち",
            "已等待 {n} 天",
        ],
    ),
    ("js_copy", ["Copy", "Kopieren", "Copier", "Copiar", "コピー", "复制"]),
    ("js_copied", ["Copied", "Kopiert", "Copié", "Copiado", "コピーしました", "已复制"]),
    (
        "js_press_ctrl_c",
        [
            "Press Ctrl+C",
            "Strg+C drücken",
            "Appuyez sur Ctrl+C",
            "Pulsa Ctrl+C",
            "Ctrl+C を押してください",
            "请按 Ctrl+C",
        ],
    ),
    (
        "js_copy_code",
        ["Copy code", "Code kopieren", "Copier le code", "Copiar el código", "コードをコピー", "复制代码"],
    ),
    (
        "js_code_copied",
        ["Code copied", "Code kopiert", "Code copié", "Código copiado", "コードをコピーしました", "代码已复制"],
    ),
    (
        "js_copy_link",
        [
            "Copy link to this section",
            "Link zu diesem Abschnitt kopieren",
            "Copier le lien vers cette section",
            "Copiar el enlace a esta sección",
            "このセクションへのリンクをコピー",
            "复制此节的链接",
        ],
    ),
    (
        "js_link_copied",
        ["Link copied", "Link kopiert", "Lien copié", "Enlace copiado", "リンクをコピーしました", "链接已复制"],
    ),
    ("js_site", ["Site", "Website", "Site", "Sitio", "サイト", "站点"]),
    (
        "js_filter_docs",
        [
            "Filter documents",
            "Dokumente filtern",
            "Filtrer les documents",
            "Filtrar documentos",
            "文書を絞り込む",
            "筛选文档",
        ],
    ),
    (
        "js_all_docs",
        ["All documents", "Alle Dokumente", "Tous les documents", "Todos los documentos", "すべての文書", "所有文档"],
    ),
    (
        "js_close_search",
        ["Close search", "Suche schließen", "Fermer la recherche", "Cerrar la búsqueda", "検索を閉じる", "关闭搜索"],
    ),
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
/// with the site's `[strings]` overrides. Borrowed: a page's map copies no text.
pub fn strings<'a>(lang: &str, overrides: &'a BTreeMap<String, String>) -> BTreeMap<&'static str, Cow<'a, str>> {
    let col = column(lang);
    TABLE
        .iter()
        .map(|(key, texts)| {
            (*key, overrides.get(*key).map_or(Cow::Borrowed(texts[col]), |o| Cow::Borrowed(o.as_str())))
        })
        .collect()
}

/// The form of a `one|other` text for the count `n` in the language of `col`, with `{n}`
/// replaced: the first form for one (in French for zero too), else the last; a text without
/// `|` has one form.
fn plural_in(col: usize, text: &str, n: u64) -> String {
    let one = if LANGS[col] == "fr" { n <= 1 } else { n == 1 };
    let form = match text.split_once('|') {
        Some((a, b)) => {
            if one {
                a
            } else {
                b
            }
        }
        None => text,
    };
    form.replace("{n}", &n.to_string())
}

/// `{{ site.t.key | count(n=…, lang=site.lang) }}` in a template: [`plural_in`] for `lang`.
pub fn plural(text: &str, n: u64, lang: &str) -> String {
    plural_in(column(lang), text, n)
}

/// The strings dossier.js writes, as a JSON object for the page's `dossier-strings` block;
/// empty when they are the English ones (dossier.js has those built in), so that an English
/// page stays as it was.
pub fn js_strings(lang: &str, overrides: &BTreeMap<String, String>) -> String {
    let keys = TABLE.iter().map(|(k, _)| *k).filter(|k| k.starts_with("js_") || ["search", "n_docs"].contains(k));
    if column(lang) == 0 && !keys.clone().any(|k| overrides.contains_key(k)) {
        return String::new();
    }
    let ui = Ui::new(lang, overrides);
    let map: BTreeMap<&str, Cow<'_, str>> = keys.map(|k| (k, ui.get(k))).collect();
    // `</` would end the script element early.
    serde_json::to_string(&map).unwrap_or_default().replace("</", "<\\/")
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

    /// The text of `key` for the count `n` (`one|other` forms, `{n}` replaced).
    pub fn count(&self, key: &str, n: usize) -> String {
        plural_in(self.col, &self.get(key), n as u64)
    }

    /// The text of `key` with each `{name}` of `values` replaced.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).into_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// Whether the page is in another language than English (its text is translated).
    pub fn translates(&self) -> bool {
        self.col != 0
    }

    /// A `related` relation's verb as shown: the author's own verb ("Depends on") as written,
    /// a plain "Related to"/"Relates to" in this language.
    pub fn related_verb<'s>(&self, verb: &'s str) -> Cow<'s, str>
    where
        'a: 's,
    {
        let plain = ["related", "related to", "relates to"].iter().any(|v| verb.eq_ignore_ascii_case(v));
        if plain && (self.col != 0 || self.overrides.contains_key("rel_related")) {
            self.get("rel_related")
        } else {
            Cow::Borrowed(verb)
        }
    }

    /// How a document refers to this one ("links to it, mentions it", as the link stage
    /// writes it in English) in this language.
    pub fn how(&self, how: &str) -> String {
        const HOW: [(&str, &str); 7] = [
            ("supersedes it", "how_supersedes"),
            ("is superseded by it", "how_superseded_by"),
            ("amends it", "how_amends"),
            ("is amended by it", "how_amended_by"),
            ("relates to it", "how_relates"),
            ("links to it", "how_links"),
            ("mentions it", "how_mentions"),
        ];
        let parts: Vec<Cow<'_, str>> = how
            .split(", ")
            .map(|h| HOW.iter().find(|(en, _)| *en == h).map_or(Cow::Borrowed(h), |(_, k)| self.get(k)))
            .collect();
        parts.join(self.get("list_sep").as_ref())
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
        self.fill_date(self.month_pattern(), y, m, "")
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

    fn fill_date(&self, pattern: &str, y: &str, m: usize, d: &str) -> String {
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
        let statuses = Status::ALL.iter().map(|s| format!("status_{}", s.as_str()));
        let names = statuses.chain(["kind_adr", "kind_design", "kind_page"].map(String::from));
        let keys = SENTENCES.map(String::from).into_iter().chain(names);
        let t: serde_json::Map<String, serde_json::Value> =
            keys.map(|k| (k.clone(), self.get(&k).into_owned().into())).collect();
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
                self.fill_date(pattern, &date[..4], m, date[8..10].trim_start_matches('0'))
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
        assert!(fr["t"].get("status_history").is_none(), "status names only, not every status_ key");
        assert_eq!(fr["t"].as_object().unwrap().len(), 10 + Status::ALL.len() + 3);
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

    /// The `{name}` placeholders of a text, sorted, each once.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut v: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn every_key_has_six_texts_with_the_same_placeholders() {
        let mut keys: Vec<&str> = TABLE.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key is in TABLE twice");
        for (key, texts) in TABLE {
            assert_eq!(texts.len(), LANGS.len());
            let english = placeholders(texts[0]);
            for (lang, text) in LANGS.iter().zip(texts) {
                assert!(!text.trim().is_empty(), "{key} is empty in {lang}");
                // Every form of a count (`one|other`) names the same placeholders.
                for form in text.split('|') {
                    assert_eq!(placeholders(form), english, "{key} in {lang}: {form:?}");
                }
                assert!(text.split('|').count() <= 2, "{key} in {lang} has more than two forms");
            }
        }
        assert!(placeholders("{n} of {m}, {n}") == ["m", "n"]);
    }

    #[test]
    fn counts_take_the_form_of_their_number() {
        let none = BTreeMap::new();
        let (en, de, fr, ja) = (Ui::new("en", &none), Ui::new("de", &none), Ui::new("fr", &none), Ui::new("ja", &none));
        assert_eq!(en.count("count_decisions", 1), "1 decision");
        assert_eq!(en.count("count_decisions", 0), "0 decisions");
        assert_eq!(de.count("count_decisions", 2), "2 Entscheidungen");
        assert_eq!(fr.count("count_decisions", 0), "0 décision");
        assert_eq!(fr.count("count_decisions", 2), "2 décisions");
        assert_eq!(ja.count("count_decisions", 1), "決定 1 件");
        assert_eq!(plural("{n} page|{n} pages", 1, "es-MX"), "1 page");
        assert_eq!(plural("Part {n}", 3, "en"), "Part 3");
        let over: BTreeMap<String, String> = [("count_pages".to_string(), "{n} note|{n} notes".to_string())].into();
        assert_eq!(Ui::new("de", &over).count("count_pages", 5), "5 notes");
        assert_eq!(de.fill("by_author", &[("author", "Ann")]), "von Ann");
        assert_eq!(de.how("links to it, mentions it"), "verlinkt es, erwähnt es");
        assert_eq!(ja.how("supersedes it, links to it"), "これを置き換える、ここへリンクしている");
        assert_eq!(en.how("links to it, something new"), "links to it, something new");
        assert_eq!(de.related_verb("Related to"), "Verwandt mit");
        assert_eq!(de.related_verb("Depends on"), "Depends on");
        assert_eq!(en.related_verb("relates to"), "relates to");
    }

    #[test]
    fn script_strings_only_on_pages_that_need_them() {
        let none = BTreeMap::new();
        assert_eq!(js_strings("en", &none), "");
        let de: serde_json::Value = serde_json::from_str(&js_strings("de", &none)).unwrap();
        assert_eq!(de["js_copy"], "Kopieren");
        assert_eq!(de["n_docs"], "{n} Dokument|{n} Dokumente");
        let over: BTreeMap<String, String> = [("js_copy".to_string(), "</script>".to_string())].into();
        let en = js_strings("en", &over);
        assert!(en.contains(r#""js_copy":"<\/script>""#), "{en}");
        assert!(!en.contains("</"), "{en}");
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
