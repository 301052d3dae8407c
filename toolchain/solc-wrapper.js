#!/usr/bin/env node
// Rampart: a native-looking `solc` command backed by solc-js (npm `solc`).
//
// forge (Foundry) drives an external compiler through two calls only:
//   solc --version                         -> must print a line "Version: X.Y.Z+commit.H.Linux.g++"
//   solc [flags] --standard-json [- | F]   -> Standard JSON input on stdin (or file F), output on stdout
// This script answers both with the solc-js build installed next to it (scripts/toolchain copies
// it into <tools>/npm/, beside node_modules/, and links <tools>/bin/solc to it).
//
// Imports that are not already part of the input are read from disk: absolute paths as they are,
// relative ones against --base-path (default: the working directory) and then each --include-path.
'use strict';

const fs = require('fs');
const path = require('path');

const USAGE = `usage: solc --version
       solc [--base-path DIR] [--include-path DIR]... [--allow-paths LIST] [--no-import-callback] --standard-json [FILE|-]
(Rampart's solc-js wrapper: only --version and --standard-json are supported.)
`;

function fail(message, code) {
  process.stderr.write(`solc-wrapper: ${message}\n`);
  process.exit(code === undefined ? 2 : code);
}

function parseArgs(argv) {
  const opts = {
    version: false,
    help: false,
    standardJson: false,
    input: null,
    basePath: null,
    includePaths: [],
    importCallback: true,
  };
  // Flags forge or a user may pass that take a value we do not need.
  const ignoredWithValue = new Set(['--allow-paths', '--evm-version', '--optimize-runs']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inlineValue = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : null;
    const takeValue = () => {
      if (inlineValue !== null) return inlineValue;
      if (i + 1 >= argv.length) fail(`option ${flag} needs a value`);
      i += 1;
      return argv[i];
    };
    switch (flag) {
      case '--version':
      case '-v':
        opts.version = true;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      case '--standard-json':
        opts.standardJson = true;
        break;
      case '--base-path':
        opts.basePath = takeValue();
        break;
      case '--include-path':
        opts.includePaths.push(takeValue());
        break;
      case '--no-import-callback':
        opts.importCallback = false;
        break;
      default:
        if (ignoredWithValue.has(flag)) {
          takeValue();
        } else if (arg === '-' || !arg.startsWith('-')) {
          if (opts.input !== null) fail(`more than one input given: ${opts.input}, ${arg}`);
          opts.input = arg;
        } else if (!arg.startsWith('--')) {
          fail(`unsupported option ${arg}\n${USAGE}`);
        }
        // Other long flags (for example --pretty-json) change nothing we rely on: ignore them.
        break;
    }
  }
  return opts;
}

function loadSolc() {
  try {
    return require('solc');
  } catch (err) {
    fail(`cannot load solc-js next to ${__filename}: ${err.message} (run scripts/toolchain install)`, 1);
  }
  return null;
}

function nativeVersion(solc) {
  // solc-js reports e.g. 0.8.30+commit.73712a01.Emscripten.clang; forge parses the same string a
  // native Linux build prints, so report the platform part the way that build does.
  return solc.version().replace(/\.Emscripten\.clang$/, '.Linux.g++');
}

function makeImportCallback(opts) {
  const cwd = process.cwd();
  const roots = [opts.basePath ? path.resolve(cwd, opts.basePath) : cwd]
    .concat(opts.includePaths.map((p) => path.resolve(cwd, p)));
  return function findImport(sourceUnitName) {
    const candidates = path.isAbsolute(sourceUnitName)
      ? [sourceUnitName]
      : roots.map((root) => path.join(root, sourceUnitName));
    for (const candidate of candidates) {
      try {
        return { contents: fs.readFileSync(candidate, 'utf8') };
      } catch (err) {
        if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') {
          return { error: `cannot read ${candidate}: ${err.message}` };
        }
      }
    }
    return { error: `file not found: ${sourceUnitName} (looked in ${candidates.join(', ')})` };
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (opts.version) {
    const solc = loadSolc();
    process.stdout.write(
      `solc, the solidity compiler commandline interface (solc-js wrapper)\nVersion: ${nativeVersion(solc)}\n`,
    );
    return;
  }
  if (!opts.standardJson) {
    fail(`only --version and --standard-json are supported\n${USAGE}`);
  }
  let input;
  try {
    input = fs.readFileSync(opts.input === null || opts.input === '-' ? 0 : opts.input, 'utf8');
  } catch (err) {
    fail(`cannot read the standard JSON input: ${err.message}`, 1);
  }
  const solc = loadSolc();
  const callbacks = opts.importCallback ? { import: makeImportCallback(opts) } : {};
  const output = solc.compile(input, callbacks);
  // Like native solc, compile errors are reported inside the JSON and the exit status stays 0.
  process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}

main();
