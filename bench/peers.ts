// bench/peers: which Python interpreter runs the PyTorch peer. The strongest peer first: PyTorch
// 2.13 (CPU wheel, MKL/oneDNN) in the repository's .venv-torch when it is there, else Debian's
// python3-torch (1.13) under /usr/bin/python3, else none (the benches print a row saying so).
// Set up the first with:
//   python3 -m venv --system-site-packages .venv-torch
//   .venv-torch/bin/pip install --no-deps --no-index torch==2.13.0
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Debian's interpreter (the one python3-numpy / python3-torch install into). */
export const SYSTEM_PYTHON = "/usr/bin/python3";
/** The repository's PyTorch 2.13 virtual environment (gitignored). */
export const VENV_PYTHON = fileURLToPath(new URL("../.venv-torch/bin/python", import.meta.url));

export interface TorchPeer {
  /** The interpreter to run the peer scripts with; undefined when no interpreter imports torch. */
  python: string | undefined;
  /** torch.__version__, or undefined. */
  version: string | undefined;
  /** Where it came from, or why there is none (printed in the tables). */
  note: string;
}

let cached: TorchPeer | undefined;

function probe(python: string): string | undefined {
  if (!existsSync(python)) return undefined;
  const result = spawnSync(python, ["-c", "import torch; print(torch.__version__)"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  return result.status === 0 ? result.stdout.trim().split("\n").at(-1) : undefined;
}

/**
 * The PyTorch peer (probed once per process): TESSERA_TORCH_PYTHON when set (e.g. /usr/bin/python3
 * for Debian's 1.13 while .venv-torch exists, so one machine gives both columns), else .venv-torch,
 * else Debian's, else none.
 */
export function torchPeer(): TorchPeer {
  if (cached !== undefined) return cached;
  const forced = process.env.TESSERA_TORCH_PYTHON;
  if (forced !== undefined && forced !== "") {
    const version = probe(forced);
    cached =
      version !== undefined
        ? { python: forced, version, note: `TESSERA_TORCH_PYTHON=${forced}` }
        : {
            python: undefined,
            version: undefined,
            note: `skipped: ${forced} (TESSERA_TORCH_PYTHON) cannot import torch`,
          };
    return cached;
  }
  const venv = probe(VENV_PYTHON);
  if (venv !== undefined) {
    cached = { python: VENV_PYTHON, version: venv, note: ".venv-torch" };
  } else {
    const system = probe(SYSTEM_PYTHON);
    cached =
      system !== undefined
        ? { python: SYSTEM_PYTHON, version: system, note: "Debian python3-torch" }
        : {
            python: undefined,
            version: undefined,
            note: "skipped: no PyTorch (create .venv-torch with torch 2.13, or apt install python3-torch)",
          };
  }
  return cached;
}

/** The interpreter for NumPy-only scripts: the venv (it sees the system packages) or Debian's. */
export function numpyPython(): string {
  return torchPeer().python ?? SYSTEM_PYTHON;
}

/**
 * Python lines appended to a peer script: print the threads torch really used, its version and the
 * process's peak RSS as a last JSON line, so every comparison can show them.
 */
export const TORCH_EPILOGUE = `
import json as _json, resource as _resource, torch as _torch
print(_json.dumps({"peer_threads": _torch.get_num_threads(), "peer_interop": _torch.get_num_interop_threads(), "peer_version": _torch.__version__, "peer_max_rss_mb": round(_resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024)}))
`;
