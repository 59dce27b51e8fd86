-- Neovim's built-in LSP client (0.7: vim.lsp.start_client + vim.lsp.buf_attach_client) against
-- `node dist/cli.js server --stdio`, run headless by test/unit/server/neovim.test.ts:
--   nvim --headless --clean -u test/lsp/init.lua
-- Environment: SANDBOX_POLICY_CLI (dist/cli.js), SANDBOX_POLICY_FILE (a Python file with os.system on
-- line 3), SANDBOX_POLICY_OUT (where the JSON record of what Neovim received is written).
-- It waits for the finding, edits it away, types it back, asks for code actions and applies the
-- line suppression, recording each step; any failure is recorded as `error` and Neovim quits.
local cli = os.getenv('SANDBOX_POLICY_CLI')
local file = os.getenv('SANDBOX_POLICY_FILE')
local out = os.getenv('SANDBOX_POLICY_OUT')
local record = { steps = {} }
local published = {}

local function save()
  local handle = assert(io.open(out, 'w'))
  handle:write(vim.fn.json_encode(record))
  handle:close()
end

local function finish(error_message)
  record.error = error_message
  save()
  vim.cmd('qall!')
end

local function latest()
  return published[#published]
end

local function has_rule(params, rule)
  for _, d in ipairs(params and params.diagnostics or {}) do
    if d.code == rule then
      return true
    end
  end
  return false
end

--- Waits until the newest published diagnostics satisfy `check` (or fails the run).
local function wait_for(what, check)
  local ok = vim.wait(60000, function()
    return check(latest())
  end, 50)
  if not ok then
    finish('timed out waiting for ' .. what .. '; last published: ' .. vim.fn.json_encode(latest() or {}))
    return nil
  end
  table.insert(record.steps, { step = what, published = latest() })
  return latest()
end

local ok, err = pcall(function()
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python'

  local client_id = vim.lsp.start_client({
    name = 'sandbox-policy',
    cmd = { 'node', cli, 'server', '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        table.insert(published, result)
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
  })
  if not client_id then
    return finish('vim.lsp.start_client returned nil')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local first = wait_for('the finding', function(p)
    return has_rule(p, 'command-execution')
  end)
  if not first then
    return
  end
  record.server = vim.lsp.get_client_by_id(client_id).server_capabilities.textDocumentSync

  -- Edit the call away: the finding disappears.
  vim.api.nvim_buf_set_lines(bufnr, 2, 3, false, { 'print("ls")' })
  if not wait_for('the finding to disappear', function(p)
    return p and not has_rule(p, 'command-execution')
  end) then
    return
  end

  -- Type it back, then ask for code actions on it and apply the line suppression.
  vim.api.nvim_buf_set_lines(bufnr, 2, 3, false, { 'os.system("ls")' })
  local again = wait_for('the finding to return', function(p)
    return has_rule(p, 'command-execution')
  end)
  if not again then
    return
  end
  local diagnostics = {}
  for _, d in ipairs(again.diagnostics) do
    if d.code == 'command-execution' then
      table.insert(diagnostics, d)
    end
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = diagnostics[1].range,
    context = { diagnostics = diagnostics },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 30000)
  local actions = {}
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(actions, action)
    end
  end
  record.actions = vim.tbl_map(function(a)
    return a.title
  end, actions)
  local chosen
  for _, action in ipairs(actions) do
    if action.title == 'Suppress command-execution on this line' then
      chosen = action
    end
  end
  if not chosen then
    return finish('no line suppression among the code actions')
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  if not wait_for('the suppressed finding to disappear', function(p)
    return p and not has_rule(p, 'command-execution')
  end) then
    return
  end
  record.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  vim.lsp.stop_client(client_id)
  finish(nil)
end)
if not ok then
  finish('init.lua failed: ' .. tostring(err))
end
