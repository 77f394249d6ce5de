//! Every console example of the README and docs/ runs, and its output is what the page shows
//! (trycmd: `$ command`, then the output; `...` stands for lines left out, `? N` for the exit
//! status). An example that drifts from the tool fails here.

#[test]
fn readme_and_docs_examples_run_as_shown() {
    let cases = trycmd::TestCases::new();
    cases
        .env("NO_COLOR", "1")
        .register_bin("wazuh-mitre", trycmd::cargo::cargo_bin!("wazuh-mitre"));
    cases.case("README.md").case("docs/*.md");
}
