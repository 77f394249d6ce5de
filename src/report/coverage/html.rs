//! One self-contained page (no network): the matrix as a heat map, per-tactic bars, the gap
//! list, fired against covered. Clicking a cell (or opening `page.html#T1110`) shows its rules
//! and the atomic tests that exercise it.

use crate::coverage::{CoverageDiff, CoverageReport};

const STYLE: &str = r#"
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#1b1f24}
h1{font-size:18px;margin:0 0 4px} .claim{color:#57606a;max-width:70em}
.bars{display:grid;grid-template-columns:16em 1fr 5em;gap:2px 8px;max-width:60em;margin:12px 0}
.bar{background:#eee;height:12px;border-radius:2px}.bar>div{background:#2f81f7;height:12px;border-radius:2px}
.matrix{display:flex;gap:4px;overflow-x:auto;align-items:flex-start}
.col{min-width:118px;max-width:118px}.col h3{font-size:11px;margin:0 0 4px;height:4.4em}
.cell{font-size:10px;padding:3px;margin:0 0 2px;border-radius:2px;cursor:pointer;border:1px solid #d0d7de;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.cell.cold{background:#fff}.cell.gap{background:#f4a3a3}.cell.irrelevant{opacity:.35}
.cell.selected{outline:2px solid #1b1f24}
#details{position:sticky;top:0;z-index:1;background:#f6f8fa;border:1px solid #d0d7de;padding:8px;margin:12px 0;min-height:3em;max-height:26vh;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 6px;text-align:left}
code{font-size:12px}
"#;

const SCRIPT: &str = r#"
const R = JSON.parse(document.getElementById('report').textContent);
const covered = Object.fromEntries(R.covered.map(c => [c.id, c]));
const plan = Object.fromEntries(R.plan.map(p => [p.technique, p]));
const max = Math.max(1, ...R.covered.map(c => c.rules.length));
function shade(n) { const t = Math.min(1, Math.log(1 + n) / Math.log(1 + max)); const l = 88 - 48 * t; return `hsl(212,85%,${l}%)`; }
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c])); }
const bars = document.getElementById('bars');
const matrix = document.getElementById('matrix');
for (const t of R.tactics) {
  const share = t.total ? t.covered / t.total : 0;
  bars.insertAdjacentHTML('beforeend', `<div>${esc(t.name)}</div><div class="bar"><div style="width:${(100*share).toFixed(1)}%"></div></div><div>${t.covered}/${t.total}</div>`);
  const col = document.createElement('div'); col.className = 'col';
  col.innerHTML = `<h3>${esc(t.name)}<br>${t.covered}/${t.total}</h3>`;
  for (const c of t.techniques) {
    const d = document.createElement('div');
    d.className = 'cell' + (c.covered ? '' : (c.relevant && c.weight > 0 ? ' gap' : ' cold')) + (c.relevant ? '' : ' irrelevant');
    d.id = 'cell-' + t.shortname + '-' + c.id; d.dataset.technique = c.id;
    if (c.covered) d.style.background = shade(c.rule_count);
    d.title = `${c.id} ${c.name}: ${c.rule_count} rule(s)`;
    d.textContent = `${c.id} ${c.name}`;
    d.onclick = () => show(c, d);
    col.appendChild(d);
  }
  matrix.appendChild(col);
}
function show(c, el) {
  document.querySelectorAll('.cell.selected').forEach(x => x.classList.remove('selected'));
  if (el) el.classList.add('selected');
  let h = `<b>${esc(c.id)} ${esc(c.name)}</b>`;
  if (c.fired !== undefined && c.fired !== null) h += ` - ${c.fired} alert(s) seen`;
  if (!c.covered) h += '<p>No loaded rule that can alert carries it.</p>';
  for (const id of c.covered_by) {
    const cv = covered[id];
    h += `<p><code>${esc(id)}</code> ${esc(cv.name)}: ${cv.rules.length} rule(s)</p><ul class="rules">` +
      cv.rules.map(r => `<li>rule <b>${r.rule_id}</b> ${esc(r.file)}${r.line ? ':' + r.line : ''}</li>`).join('') + '</ul>';
    const p = plan[id];
    h += p ? '<p>Never fired; atomic tests:</p><ul>' + p.tests.map(t => `<li><code>${esc(t.command)}</code> ${esc(t.name)}</li>`).join('') + '</ul>'
           : `<p>Test it: <code>Invoke-AtomicTest ${esc(id)} -ShowDetailsBrief</code></p>`;
  }
  document.getElementById('details').innerHTML = h;
}
function fromHash() {
  const id = decodeURIComponent(location.hash.slice(1)); if (!id) return;
  const el = document.querySelector(`.cell[data-technique="${CSS.escape(id)}"]`); if (el) el.click();
}
window.addEventListener('hashchange', fromHash); fromHash();
"#;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn html(r: &CoverageReport, diff: Option<&CoverageDiff>) -> String {
    // The data goes in as JSON; `</` is escaped so no value can end the script element.
    let data = super::json(r, diff).replace("</", "<\\/");
    let mut gaps = String::new();
    for g in &r.gaps {
        gaps.push_str(&format!(
            "<tr><td><code>{}</code> {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&g.id),
            esc(&g.name),
            esc(&g.tactics.join(", ")),
            esc(&g.platforms.join(", ")),
            g.groups.len(),
            g.tests,
            g.detections
                .iter()
                .map(|d| format!("{} (by {})", esc(&d.title), esc(&d.author)))
                .collect::<Vec<_>>()
                .join("<br>")
        ));
    }
    let fired = match &r.fired {
        None => "<p>Give <code>--alerts alerts.json</code> to compare with what has fired.</p>".to_string(),
        Some(f) => format!(
            "<table><tr><th>covered and fired</th><td>{}</td></tr><tr><th>covered, never fired (a claim to test)</th><td>{}</td></tr><tr><th>fired without a counted rule</th><td>{}</td></tr><tr><th>rules that fired with no technique</th><td>{}</td></tr><tr><th>alerts read / bad lines</th><td>{} / {}</td></tr></table>",
            f.covered_and_fired.len(),
            f.covered_never_fired.len(),
            f.fired_not_covered.len(),
            f.fired_untagged.len(),
            f.alerts,
            f.bad_lines
        ),
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ATT&amp;CK {ver} coverage - wazuh-mitre</title><style>{STYLE}</style></head><body>\n<h1>ATT&amp;CK {ver} coverage: {cov} of {tot} techniques</h1>\n<p class=\"claim\">{claim} Tags as your {mgr} manager resolves them; {counted} rules counted.</p>\n<div id=\"details\">Click a cell to see its rules and tests.</div>\n<div id=\"matrix\" class=\"matrix\"></div>\n<h2>Per tactic</h2><div id=\"bars\" class=\"bars\"></div>\n<h2>Gaps that matter most</h2><table><tr><th>technique</th><th>tactics</th><th>platforms</th><th>groups using it</th><th>atomic tests</th><th>public detections to start from</th></tr>{gaps}</table>\n<h2>Fired against covered</h2>{fired}\n<script type=\"application/json\" id=\"report\">{data}</script>\n<script>{SCRIPT}</script>\n</body></html>\n",
        ver = esc(&r.attack_version),
        cov = r.summary.techniques_covered,
        tot = r.summary.techniques_total,
        claim = esc(r.claim),
        mgr = esc(&r.manager_attack),
        counted = r.summary.rules_counted,
    )
}
