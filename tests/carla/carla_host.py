#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A Carla project in a real Carla, for the tests: loads PROJECT.carxp into Carla's engine
(libcarla_standalone2.so through Carla's own Python binding, patchbay mode, JACK), checks that
what Carla loaded is what the file says, and records Carla's outputs through JACK.

Usage: carla_host.py PROJECT.carxp JACKD_PID CAPTURE FRAMES OUT.wav PORT_SUFFIX...
       carla_host.py --find    (exit 0 if there is a Carla, else 77)
  CAPTURE is tests/live/capture; the PORT_SUFFIXes are Carla's outputs to record
  (audio-out1, audio-out2). Carla is found through CARLA_DIR (a source tree with bin/ and
  source/frontend/, as built by make), else beside the `carla` on PATH (PREFIX/bin/carla:
  PREFIX/share/carla and PREFIX/lib/carla, Debian's layout and `make install`'s).
Exit status: 0 if Carla loaded the file as written and the recording was made, 1 if not,
3 if the recording had xruns (the caller records again), 77 if there is no Carla.

With CARLA_MODE=multi in the environment Carla runs in JACK multi-client mode instead (what
plain `carla` does on Linux): one JACK client per plugin, the project's links JACK
connections; the recorder then takes what the project links to system:playback_1 and _2.
The server cannot be stopped there (each plugin's client talks to it as it loads), so a
project for this mode should have one source at most.

carla_load_project returns true even when a plugin fails to load, a parameter symbol is unknown
or a link names a missing port, saying nothing of the last two. So after loading, Carla saves
the project again and the two files are compared: every plugin with its URI (or internal
label), every parameter value, Active, Volume, Dry/Wet, Balance, Panning, the audio file
player's file, and every connection.

Carla starts each plugin once its graph's order is rebuilt with it (every 100 ms, in a thread
of its own), which happens while it loads the project: a source taken in by a later rebuild
would count from a later JACK period than one taken in earlier. The JACK server is therefore stopped (SIGSTOP, a private dummy server started by the
test) while Carla loads, and continued once Carla's graph holds every plugin and connection,
so every plugin starts in the same period, as quarks render starts them at sample 0.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

CLIENT = "qkcarla"


def find_carla():
    """(frontend folder, libcarla_standalone2.so, binaries folder) or None."""
    d = os.environ.get("CARLA_DIR")
    candidates = []
    if d:
        candidates.append((os.path.join(d, "source", "frontend"),
                           os.path.join(d, "bin", "libcarla_standalone2.so"),
                           os.path.join(d, "bin")))
    exe = shutil.which("carla")
    prefixes = [os.path.dirname(os.path.dirname(os.path.realpath(exe)))] if exe else []
    for prefix in prefixes + ["/usr"]:
        candidates.append((os.path.join(prefix, "share", "carla"),
                           os.path.join(prefix, "lib", "carla", "libcarla_standalone2.so"),
                           os.path.join(prefix, "lib", "carla")))
    for front, lib, bins in candidates:
        if os.path.exists(os.path.join(front, "carla_backend.py")) and os.path.exists(lib):
            return front, lib, bins
    return None


def f32(text):
    """A value as Carla holds it: a float."""
    import struct
    return struct.unpack("f", struct.pack("f", float(text)))[0]


def plugins(root):
    out = {}
    for p in root.findall("Plugin"):
        info, data = p.find("Info"), p.find("Data")
        name = info.findtext("Name", "").strip()
        what = (info.findtext("Type", "").strip(),
                (info.findtext("URI") or info.findtext("Label") or "").strip())
        settings = {}
        params = {}
        files = []
        for c in list(data) if data is not None else []:
            if c.tag == "Parameter":
                key = (c.findtext("Symbol") or "").strip() or "#" + c.findtext("Index", "").strip()
                params[key] = f32(c.findtext("Value", "nan"))
            elif c.tag == "CustomData" and c.findtext("Key", "").strip() == "file":
                files.append(c.findtext("Value", "").strip())
            elif c.tag in ("Active",):
                settings[c.tag] = (c.text or "").strip()
            elif c.tag in ("Volume", "DryWet", "Balance-Left", "Balance-Right", "Panning"):
                settings[c.tag] = f32(c.text)
        # Carla writes a setting only when it is not its default.
        defaults = {"Volume": 1.0, "DryWet": 1.0, "Balance-Left": -1.0, "Balance-Right": 1.0,
                    "Panning": 0.0}
        for k, v in defaults.items():
            settings.setdefault(k, v)
        out[name] = (what, params, settings, files)
    return out


def connections(root):
    """The links, with a multi-client project's system ports named as patchbay mode names them
    (Carla converts them so when it loads such a project in patchbay mode)."""
    internal = root.find("Patchbay")
    elem = internal if internal is not None else root.find("ExternalPatchbay")
    conv = {"system:capture_1": "Audio Input:Left", "system:capture_2": "Audio Input:Right",
            "system:playback_1": "Audio Output:Left", "system:playback_2": "Audio Output:Right"}
    out = set()
    for c in elem.findall("Connection") if elem is not None else []:
        a, b = c.findtext("Source", "").strip(), c.findtext("Target", "").strip()
        out.add((conv.get(a, a), conv.get(b, b)))
    return out


def compare(want_path, got_path):
    want, got = ET.parse(want_path).getroot(), ET.parse(got_path).getroot()
    problems = []
    wp, gp = plugins(want), plugins(got)
    for name, (what, params, settings, files) in wp.items():
        if name not in gp:
            problems.append("plugin '%s' (%s) was not loaded" % (name, what[1]))
            continue
        gwhat, gparams, gsettings, gfiles = gp[name]
        if gwhat != what:
            problems.append("plugin '%s' is %s, not %s" % (name, gwhat, what))
        for k, v in params.items():
            if k not in gparams:
                problems.append("'%s': parameter %s was not restored" % (name, k))
            elif gparams[k] != v:
                problems.append("'%s': parameter %s is %r, not %r" % (name, k, gparams[k], v))
        for k, v in settings.items():
            if gsettings.get(k) != v:
                problems.append("'%s': <%s> is %r, not %r" % (name, k, gsettings.get(k), v))
        if files != gfiles:
            problems.append("'%s': file %s, not %s" % (name, gfiles, files))
    for name in gp:
        if name not in wp:
            problems.append("Carla has a plugin '%s' the file does not have" % name)
    wc, gc = connections(want), connections(got)
    for c in sorted(wc - gc):
        problems.append("connection %s -> %s was dropped" % c)
    for c in sorted(gc - wc):
        problems.append("Carla has a connection %s -> %s the file does not have" % c)
    return problems


def main():
    if sys.argv[1:] == ["--find"]:
        return 0 if find_carla() else 77
    if len(sys.argv) < 7:
        print(__doc__)
        return 2
    project, jackd_pid, capture, frames, out_wav = sys.argv[1:6]
    ports = sys.argv[6:]
    found = find_carla()
    if not found:
        print("SKIP: no Carla (set CARLA_DIR to a built Carla source tree, or put carla on PATH)")
        return 77
    front, lib, bins = found
    sys.path.insert(0, front)
    import carla_backend as cb

    host = cb.CarlaHostDLL(lib, False)
    host.set_engine_option(cb.ENGINE_OPTION_PATH_BINARIES, 0, bins)
    host.set_engine_option(cb.ENGINE_OPTION_PATH_RESOURCES, 0, os.path.join(bins, "resources"))
    multi = os.environ.get("CARLA_MODE") == "multi"
    host.set_engine_option(cb.ENGINE_OPTION_PROCESS_MODE,
                           cb.ENGINE_PROCESS_MODE_MULTIPLE_CLIENTS if multi
                           else cb.ENGINE_PROCESS_MODE_PATCHBAY, "")
    host.set_engine_option(cb.ENGINE_OPTION_TRANSPORT_MODE, cb.ENGINE_TRANSPORT_MODE_INTERNAL, "")
    host.set_engine_option(cb.ENGINE_OPTION_PLUGIN_PATH, cb.PLUGIN_LV2,
                           os.environ.get("LV2_PATH", "/usr/lib/lv2"))
    if not host.engine_init("JACK", CLIENT):
        print("FAIL: Carla's engine did not start:", host.get_last_error())
        return 1
    pid = int(jackd_pid)
    status = 0
    if not multi:
        os.kill(pid, signal.SIGSTOP)
    try:
        ok = host.load_project(os.path.abspath(project))
        # Carla's PatchbayReorderRunner rebuilds the graph's order every 100 ms: let it take
        # in every plugin and connection before the server runs again.
        for _ in range(20):
            host.engine_idle()
            time.sleep(0.02)
    finally:
        if not multi:
            os.kill(pid, signal.SIGCONT)
    if not ok:
        print("FAIL: carla_load_project:", host.get_last_error())
        status = 1
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "saved.carxp")
        if not host.save_project(saved):
            print("FAIL: Carla could not save the project:", host.get_last_error())
            status = 1
        else:
            problems = compare(project, saved)
            for p in problems:
                print("FAIL: " + p)
            n = host.get_current_plugin_count()
            print("Carla loaded %d plugins%s" % (n, "" if problems else ", as the file says"))
            status = status or (1 if problems else 0)
    if multi:  # the plugins' own JACK ports that the project sends to the sound card
        links = connections(ET.parse(project).getroot())
        ports = [a for k in ("Left", "Right") for a, b in sorted(links)
                 if b == "Audio Output:" + k][:len(ports)]
    else:
        ports = ["%s:%s" % (CLIENT, p) for p in ports]
    if status == 0:
        rc = subprocess.call([capture, "cap", frames, out_wav] + ports, timeout=60)
        status = rc if rc in (0, 3) else 1
    host.engine_close()
    return status


if __name__ == "__main__":
    sys.exit(main())
