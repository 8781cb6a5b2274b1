//! The library's modules import one another as `src/lib.rs` draws them: every `crate::…` and
//! `super::…` path in a module's code (tests and comments aside) is an edge from it to the
//! module the path names; the graph has no cycle, and no edge goes up the layers of the table
//! in `lib.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name (`render::pages`) → its source file's text, for the modules of the library
/// (those `lib.rs` declares and theirs; the binary's own modules are not in it).
fn modules(src: &Path) -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_suffix(';'))
        .filter_map(|l| l.rsplit_once("mod ").map(|(_, name)| name))
        .collect();
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let rel = path.strip_prefix(src).expect("inside src");
        let mut name = rel
            .with_extension("")
            .to_string_lossy()
            .replace(['/', '\\'], "::");
        if let Some(parent) = name.strip_suffix("::mod") {
            name = parent.to_string();
        }
        let top = name.split("::").next().unwrap_or("");
        if !declared.contains(top) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read");
        out.insert(name, text);
    }
    out
}

/// The code of a module: no test module, no comments.
fn code(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
    before_tests
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a module's code names: `crate::a::b`, `super::c`, and each member of a
/// grouped import (`use super::{d::E, f}` gives `super::d::E` and `super::f`).
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b':';
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (word(bytes[at - 1]) && bytes[at - 1] != b':') {
                continue;
            }
            let end = code[at..]
                .bytes()
                .position(|b| !word(b))
                .map_or(code.len(), |p| at + p);
            let path = code[at..end].trim_end_matches(':').to_string();
            if code[end..].starts_with('{') {
                let close = code[end..].find('}').map_or(code.len(), |c| end + c);
                for member in code[end + 1..close].split(',') {
                    let member: String = member
                        .trim()
                        .bytes()
                        .take_while(|&b| word(b))
                        .map(char::from)
                        .collect();
                    if !member.is_empty() {
                        out.push(format!("{path}::{member}"));
                    }
                }
            }
            out.push(path);
        }
    }
    out
}

/// The module a path names from module `me`: the longest known module it starts with.
fn target(
    path: &str,
    me: &str,
    is_mod_rs: bool,
    known: &BTreeMap<String, String>,
) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = Vec::new();
    if parts.first() == Some(&"crate") {
        parts.remove(0);
    } else {
        base = me.split("::").collect();
        if !is_mod_rs {
            base.pop();
        }
        parts.remove(0);
        while parts.first() == Some(&"super") {
            base.pop();
            parts.remove(0);
        }
    }
    let full: Vec<&str> = base.into_iter().chain(parts).collect();
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|m| known.contains_key(m))
}

fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    // Depth-first search with colours; the stack holds the path to the current module.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut found = stack[i..].to_vec();
            found.push(m.to_string());
            return Some(found);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(found) = visit(next, edges, done, stack) {
                return Some(found);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        if let Some(found) = visit(m, edges, &mut done, &mut Vec::new()) {
            return Some(found);
        }
    }
    None
}

fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(src);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (me, text) in &known {
        let is_mod_rs = src.join(me.replace("::", "/")).join("mod.rs").is_file();
        let mut to = BTreeSet::new();
        for path in paths(&code(text)) {
            let Some(t) = target(&path, me, is_mod_rs, &known) else {
                continue;
            };
            // A module's own children and parents are its own business (re-exports, mod.rs).
            let related =
                t == *me || t.starts_with(&format!("{me}::")) || me.starts_with(&format!("{t}::"));
            if !related {
                to.insert(t);
            }
        }
        edges.insert(me.clone(), to);
    }
    edges
}

#[test]
fn the_library_has_no_import_cycles() {
    let edges = import_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(edges.len() > 50, "only {} modules found", edges.len());
    assert!(
        edges
            .get("render::pages")
            .is_some_and(|e| e.contains("render::segments")),
        "the graph misses a known import"
    );
    if let Some(found) = cycle(&edges) {
        panic!("import cycle: {}", found.join(" → "));
    }
}

/// The layers of `lib.rs`'s table, bottom first: top-level module → its layer's rank.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let rows = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//! | "))
        .filter(|row| !row.starts_with("layer") && !row.starts_with("---"));
    for (rank, row) in rows.enumerate() {
        let modules = row.split('|').nth(1).unwrap_or("");
        for name in modules.split('`').skip(1).step_by(2) {
            out.insert(name.to_string(), rank);
        }
    }
    out
}

#[test]
fn no_module_imports_one_of_a_layer_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("lib.rs");
    let rank = layers(&lib);
    assert!(
        rank.len() > 30,
        "lib.rs's table names {} modules",
        rank.len()
    );
    let top = |m: &str| m.split("::").next().unwrap_or(m).to_string();
    let mut wrong = Vec::new();
    for (from, tos) in import_graph(&root.join("src")) {
        let Some(&a) = rank.get(&top(&from)) else {
            wrong.push(format!("{from} is in no layer of lib.rs's table"));
            continue;
        };
        for to in tos {
            match rank.get(&top(&to)) {
                Some(&b) if b > a => wrong.push(format!("{from} uses {to}, a layer above it")),
                Some(_) => {}
                None => wrong.push(format!("{to} is in no layer of lib.rs's table")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_cycle_is_found() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path();
    std::fs::create_dir_all(src.join("a")).expect("mkdir");
    std::fs::write(src.join("lib.rs"), "mod a;\nmod d;\n").expect("write");
    std::fs::write(src.join("a/mod.rs"), "mod b;\nmod c;\n").expect("write");
    std::fs::write(src.join("a/b.rs"), "use super::c::{C, D};\n").expect("write");
    std::fs::write(src.join("a/c.rs"), "fn f() { crate::a::b::g(); }\n").expect("write");
    std::fs::write(
        src.join("d.rs"),
        "// crate::a::b in a comment is no import\n",
    )
    .expect("write");
    let edges = import_graph(src);
    let found = cycle(&edges).expect("a cycle");
    assert!(found.contains(&"a::b".to_string()) && found.contains(&"a::c".to_string()));
    assert!(edges["d"].is_empty());
}
