// Settings that turn on the Werkzeug debugger, whose console runs any Python code sent to it, by a route
// other than `app.run(debug=True)`: the app's `debug` attribute, its `DEBUG` configuration key, and the
// FLASK_DEBUG / FLASK_ENV environment variables the `flask` command and `app.run()` read. Keyed by the
// setting's holder and name: `flask.Flask.debug`, `flask.Flask.config.DEBUG`, `os.environ.FLASK_DEBUG`.
import { lookupTable } from '../../shared/lookup';

/**
 * How a setting's value is read: `python` by Python truth; `flask-env` as Flask reads FLASK_DEBUG (set,
 * and not "0", "false" or "no"); `development` only that word (FLASK_ENV before Flask 2.3).
 */
export type DebugSemantics = 'python' | 'flask-env' | 'development';

export const DEBUG_SWITCHES = lookupTable<DebugSemantics>({
  'flask.Flask.debug': 'python',
  'flask.Flask.config.DEBUG': 'python',
  'os.environ.FLASK_DEBUG': 'flask-env',
  'os.environ.FLASK_ENV': 'development',
});

/** Holders whose items are settings (`app.config["DEBUG"] = True`, `os.environ["FLASK_DEBUG"] = "1"`). */
export const DEBUG_HOLDERS = new Set(['flask.Flask.config', 'os.environ']);

/** Methods that store items in a holder: `update`/`from_mapping` (a mapping or keywords), `setdefault`. */
export const DEBUG_HOLDER_METHODS = `flask.Flask.config.update flask.Flask.config.from_mapping
  flask.Flask.config.setdefault os.environ.update os.environ.setdefault`;
