-- Opens a rule file in headless Neovim with `wazuh-mitre server` attached through Neovim's
-- own LSP client, waits for its diagnostics, asks for a hover on a line's id and writes what
-- Neovim holds as JSON. Works from Neovim 0.7 (Debian 12's); the settings users write are in
-- docs/editors.md. Globals set by the caller: wm_bin, wm_file, wm_out, wm_hover_line (1-based),
-- wm_hover_id.
local result = { diagnostics = {}, hover = {} }
local client_id = vim.lsp.start_client({
  name = "wazuh-mitre",
  cmd = { wm_bin, "server" },
  root_dir = vim.fn.fnamemodify(wm_file, ":h"),
})
vim.cmd("edit " .. vim.fn.fnameescape(wm_file))
vim.lsp.buf_attach_client(0, client_id)
result.attached = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 20)
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, {
    line = d.lnum, col = d.col, code = d.code, severity = d.severity, message = d.message,
  })
end
local line = vim.fn.getline(wm_hover_line)
local col = (string.find(line, wm_hover_id, 1, true) or 1)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  position = { line = wm_hover_line - 1, character = col },
}
for _, r in pairs(vim.lsp.buf_request_sync(0, "textDocument/hover", params, 10000) or {}) do
  if r.result and r.result.contents then table.insert(result.hover, r.result.contents.value) end
end
local f = assert(io.open(wm_out, "w"))
f:write(vim.fn.json_encode(result))
f:close()
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
vim.cmd("qall!")
