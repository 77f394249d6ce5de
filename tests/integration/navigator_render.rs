//! The coverage layer as MITRE's own library draws it (issue 21): covered must look covered.
//!
//! `mitreattack-python`'s navlayers renders our Navigator layer of the stock ruleset to SVG
//! (tests/navigator/render_layer.py); every covered technique's cell must stand apart from
//! white, every relevant cold one must be the cold colour. It needs a Python with
//! mitreattack-python: `.ci/run` makes one and names it in WAZUH_MITRE_NAVLAYERS_PYTHON;
//! elsewhere the test skips with a notice.

use crate::common::cli::run;
use serde_json::Value;
use std::collections::BTreeMap;

/// WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white).
fn luminance(rgb: &[u8]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

#[test]
fn covered_techniques_look_covered_when_mitres_library_draws_the_layer() {
    let Some(python) = std::env::var_os("WAZUH_MITRE_NAVLAYERS_PYTHON") else {
        eprintln!("notice: WAZUH_MITRE_NAVLAYERS_PYTHON not set; skipping the navlayers rendering");
        return;
    };
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // 18.1: the newest full bundle the library can draw the matrix from.
    let stock = shared.join("corpus/wazuh-4.14.7/rules");
    let (code, layer_text, err) = run(&[
        "coverage",
        "--attack-version",
        "18.1",
        "--format",
        "navigator",
        stock.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let layer_path = crate::common::write(dir.path(), "layer.json", layer_text.as_bytes());
    let layer: Value = serde_json::from_str(&layer_text).unwrap();
    let out = std::process::Command::new(python)
        .arg(crate::common::repo().join("tests/navigator/render_layer.py"))
        .arg(&layer_path)
        .arg(shared.join("attack/enterprise-attack-18.1.json"))
        .arg(dir.path().join("layer.svg"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The library logs warnings on standard output too: the cells are the last line.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let cells: Vec<Value> = serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap();
    let fill: BTreeMap<String, Vec<u8>> = cells
        .iter()
        .map(|c| {
            let rgb = c["rgb"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u8)
                .collect();
            (c["id"].as_str().unwrap().to_string(), rgb)
        })
        .collect();
    assert!(fill.len() > 150, "{} cells drawn", fill.len());
    let cold: Vec<u8> = vec![0xf4, 0xa3, 0xa3];
    let white = luminance(&[255, 255, 255]);
    let (mut covered, mut cold_seen) = (0, 0);
    for t in layer["techniques"].as_array().unwrap() {
        let id = t["techniqueID"].as_str().unwrap();
        // The matrix draws top-level techniques (sub-techniques collapsed).
        let Some(rgb) = fill.get(id) else { continue };
        match t["score"].as_u64() {
            Some(score) if score >= 1 => {
                covered += 1;
                // Contrast with white of at least 1.5:1 (WCAG's ratio): visibly tinted.
                let ratio = (white + 0.05) / (luminance(rgb) + 0.05);
                assert!(
                    ratio >= 1.5,
                    "{id} ({score} rules) drawn {rgb:?}: ratio {ratio:.2}"
                );
                assert_ne!(rgb, &cold, "{id} is covered but drawn cold");
            }
            _ => {
                cold_seen += 1;
                assert_eq!(rgb, &cold, "{id} has no rule but is drawn {rgb:?}");
            }
        }
    }
    assert!(
        covered > 80 && cold_seen > 50,
        "{covered} covered, {cold_seen} cold"
    );
}
