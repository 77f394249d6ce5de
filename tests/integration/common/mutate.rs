//! Deterministic mutations of real rule files, for the robustness and differential tests.

/// A small deterministic generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

pub const SNIPPETS: &[&str] = &[
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "&",
    "\\<",
    "'",
    "\"",
    "<mitre>",
    "</mitre>",
    "<id>",
    "</id>",
    "<rule id=\"1\" level=\"3\">",
    "</rule>",
    "<group name=\"x\">",
    "</group>",
    "\u{feff}",
    "é",
    "\r\n",
    "<?xml version=\"1.0\"?>",
    "<![CDATA[",
    "]]>",
    "$(x)",
    "$VAR",
    "<tacticID>TA0006</tacticID>",
];

pub fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(3) {
            0 => bytes.truncate(at),
            1 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
                bytes.splice(at..at, s.iter().copied());
            }
            _ => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    // The reader takes text; invalid UTF-8 is reported before parsing (tested elsewhere).
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Byte-level mutations as well: raw bytes no text editor would write (NUL, 0xFF, Latin-1,
/// a lone surrogate half), on top of [`mutate`]'s markup snippets.
pub fn mutate_bytes(text: &str, rng: &mut Rng) -> Vec<u8> {
    let mut bytes = mutate(text, rng).into_bytes();
    if rng.below(3) == 0 {
        const RAW: &[&[u8]] = &[
            b"\0",
            b"\xff",
            b"\xe9",
            b"\xed\xa0\x80",
            b"<\xff",
            b"\\",
            b"$",
            b"!>",
            b"<!",
            b"--",
            b" =",
            b"/",
        ];
        let at = rng.below(bytes.len() + 1);
        let s = RAW[rng.below(RAW.len())];
        bytes.splice(at..at, s.iter().copied());
    }
    bytes
}
