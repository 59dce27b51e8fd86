// The Werkzeug debugger runs any Python code sent to its console: turned on by any route (the app's debug
// attribute, its DEBUG setting, the FLASK_DEBUG environment variable, a splatted keyword, run_simple's
// use_debugger passed through Flask.run), it is command execution, HIGH as `app.run(debug=True)` is.
import assert from 'node:assert/strict';
import { check, itFlags, itQuiet } from './helpers';

const APP = 'from flask import Flask\napp = Flask(__name__)\n';

describe('python: the Werkzeug debugger turned on by other routes', () => {
  itFlags([
    ['app.debug = True', `${APP}app.debug = True\napp.run()`, 'command-execution', 3],
    ['app.config["DEBUG"] = True', `${APP}app.config["DEBUG"] = True`, 'command-execution', 3],
    ['a DEBUG key folded from pieces', `${APP}app.config["DEB" + "UG"] = 1`, 'command-execution', 3],
    [
      'app.config.update(DEBUG=True)',
      `${APP}app.config.update(DEBUG=True, SECRET_KEY="x")`,
      'command-execution',
      3,
    ],
    ['app.config.update with a dict', `${APP}app.config.update({"DEBUG": True})`, 'command-execution', 3],
    [
      'app.config.from_mapping',
      'import flask\napp = flask.Flask(__name__)\napp.config.from_mapping(DEBUG=True)',
      'command-execution',
      3,
    ],
    ['a debug flag computed at run time', `${APP}app.debug = os.environ.get("DBG")`, 'command-execution', 3],
    ['os.environ["FLASK_DEBUG"] = "1"', 'import os\nos.environ["FLASK_DEBUG"] = "1"', 'command-execution', 2],
    [
      'FLASK_DEBUG through setdefault',
      'import os\nos.environ.setdefault("FLASK_DEBUG", "true")',
      'command-execution',
      2,
    ],
    [
      'FLASK_ENV=development through environ.update',
      'import os\nos.environ.update(FLASK_ENV="development")',
      'command-execution',
      2,
    ],
    ['FLASK_DEBUG through putenv', 'import os\nos.putenv("FLASK_DEBUG", "1")', 'command-execution', 2],
    ['app.run(**{"debug": True})', `${APP}app.run(**{"debug": True})`, 'command-execution', 3],
    [
      'app.run with a splatted dict in a variable',
      `${APP}opts = dict()\nopts = {"host": "0.0.0.0", "debug": True}\napp.run(**opts)`,
      'command-execution',
      5,
    ],
    ['app.run(use_debugger=True)', `${APP}app.run(use_debugger=True)`, 'command-execution', 3],
    [
      'DebuggedApplication with evalex passed positionally',
      'import werkzeug.debug\nwerkzeug.debug.DebuggedApplication(app, True)',
      'command-execution',
      2,
    ],
  ]);
  itQuiet([
    ['app.run() without debug', `${APP}app.run()`, 'command-execution'],
    ['app.debug = False', `${APP}app.debug = False\napp.run()`, 'command-execution'],
    ['reading app.debug', `${APP}if app.debug:\n    print("debug")`, 'command-execution'],
    [
      'DEBUG set to False',
      `${APP}app.config["DEBUG"] = False\napp.config.update(DEBUG=False)`,
      'command-execution',
    ],
    [
      'another config key',
      `${APP}app.config["SECRET_KEY"] = "x"\napp.config.update(TESTING=True)`,
      'command-execution',
    ],
    [
      'FLASK_DEBUG turned off, FLASK_ENV production',
      'import os\nos.environ["FLASK_DEBUG"] = "0"\nos.environ["FLASK_ENV"] = "production"\nos.environ.setdefault("FLASK_DEBUG", "false")',
      'command-execution',
    ],
    ['another environment variable', 'import os\nos.environ["DEBUG"] = "1"', 'command-execution'],
    [
      'an object that is not a flask app',
      'settings.debug = True\nconfig["DEBUG"] = True\ncfg.update(DEBUG=True)',
    ],
    ['app.run(**{"debug": False})', `${APP}app.run(**{"debug": False})`, 'command-execution'],
  ]);

  it('is HIGH in the development preset, as app.run(debug=True) is', async () => {
    for (const code of [`${APP}app.debug = True`, 'import os\nos.environ["FLASK_DEBUG"] = "1"']) {
      const finding = (await check(code, { config: { preset: 'development' } })).find(
        (f) => f.ruleId === 'command-execution',
      );
      assert.equal(finding?.severity, 'HIGH', code);
      assert.equal(finding?.violation, true, code);
      assert.match(finding?.message ?? '', /turns on the Werkzeug debugger/);
    }
  });
});
