#!/usr/bin/python3
"""Reference values for the TypeScript DSP tests (tests/shared/dsp), computed with scipy.signal.

Run by the tests at test time as `/usr/bin/python3 tests/reference/dsp_reference.py < request.json`.
The request is {"jobs": [...]}; the answer on stdout is {"results": [...]}, one result per job, arrays as
{"shape": [...], "b64": <float64 little-endian, C order>}. The pipeline steps are written with EXACTLY
the scipy calls the training pipeline (training/ecgtriage/preprocess.py) uses, independently of it, so the
TS implementation is checked against scipy itself.

Jobs:
  {"kind": "butter", "order", "low", "high", "fs"}             -> sos (S, 6)
  {"kind": "notch", "freq", "q", "fs"}                          -> b (3), a (3)
  {"kind": "firwin", "numtaps", "cutoff"}                       -> h (numtaps), kaiser 5.0
  {"kind": "resample", "x": array, "up", "down"}                -> y
  {"kind": "sosfiltfilt", "sos": array, "x": array}             -> y
  {"kind": "filtfilt", "b": array, "a": array, "x": array}      -> y
  {"kind": "record", "path", "spec", "stages": bool}            -> rate, leads, raw (L, n), resampled,
        bandpassed, notched, standardised (L, nT), windows (nWin, 12, W), starts, padded
  {"kind": "training", "path", "spec" | null, "targetRateHz", "absent": [lead, ...]}
        -> the training pipeline itself (training/ecgtriage/preprocess.py): spec (default_spec(targetRateHz)
           when null), windows (nWin, 12, W), padded, missing; `absent` leads are marked not present
"""
import base64
import json
import math
import sys
from fractions import Fraction

import numpy as np
import scipy.io
import scipy.signal as ss

LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']


def enc(a):
    a = np.ascontiguousarray(np.asarray(a, dtype='<f8'))
    return {'shape': list(a.shape), 'b64': base64.b64encode(a.tobytes()).decode('ascii')}


def dec(o):
    return np.frombuffer(base64.b64decode(o['b64']), dtype='<f8').reshape(o['shape']).copy()


def read_header(hea_path):
    with open(hea_path) as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith('#')]
    name, nsig, fs, nsamp = lines[0].split()[:4]
    gains, baselines, leads = [], [], []
    for ln in lines[1:1 + int(nsig)]:
        parts = ln.split()
        g = parts[2].split('/')[0]
        if '(' in g:
            gain, base = g.split('(')
            base = int(base.rstrip(')'))
        else:
            gain, base = g, int(parts[4])  # baseline defaults to the ADC zero
        gains.append(float(gain))
        baselines.append(base)
        leads.append(next(l for l in LEADS if l.upper() == parts[8].upper()))  # PTB-XL writes AVR
    return float(fs), int(nsamp), np.array(gains), np.array(baselines), leads


def read_record(path):
    """(L, n) float64 millivolts from a WFDB format-16 .dat or a CinC MATLAB v4 .mat, plus rate and leads."""
    stem = path.rsplit('.', 1)[0]
    fs, nsamp, gains, baselines, leads = read_header(stem + '.hea')
    if path.endswith('.mat'):
        adc = scipy.io.loadmat(path)['val'].astype(np.float64)  # (L, n)
    else:
        adc = np.fromfile(path, dtype='<i2').reshape(nsamp, len(leads)).T.astype(np.float64)
    return (adc - baselines[:, None]) / gains[:, None], fs, leads


def pipeline(x, fs, spec, stages):
    """(L, n) float64 -> stages; the exact scipy calls of the training pipeline."""
    out = {}
    target = spec['targetRateHz']
    if fs != target:
        r = Fraction(target).limit_denominator(1000) / Fraction(fs).limit_denominator(1000)
        x = ss.resample_poly(x, r.numerator, r.denominator, axis=-1)
    out['resampled'] = x
    bp = spec.get('bandpass')
    if bp:
        sos = ss.butter(bp['order'], [bp['lowHz'], bp['highHz']], btype='bandpass', fs=target, output='sos')
        x = ss.sosfiltfilt(sos, x, axis=-1)
    out['bandpassed'] = x
    nt = spec.get('notch')
    if nt:
        b, a = ss.iirnotch(nt['freqHz'], nt['q'], fs=target)
        x = ss.filtfilt(b, a, x, axis=-1)
    out['notched'] = x
    st = spec['standardise']
    if st['kind'] == 'per-lead-zscore':
        mean = x.mean(axis=-1, keepdims=True)
        std = x.std(axis=-1, keepdims=True)
        x = (x - mean) / (std + st['eps'])
    out['standardised'] = x
    return out if stages else {'standardised': x}


def window(x, leads, spec):
    """(L, nT) standardised -> (nWin, 12, W), missing leads zero; the 'windows' policy."""
    w, n = spec['windowSamples'], x.shape[-1]
    full = np.zeros((12, n))
    for i, lead in enumerate(leads):
        full[LEADS.index(lead)] = x[i]
    if n <= w:
        starts = [0]
    else:
        starts = list(range(0, n - w + 1, w))
        if n % w:
            starts.append(n - w)
    starts = starts[:spec['windowing']['maxWindows']]
    out = np.zeros((len(starts), 12, w))
    for k, s in enumerate(starts):
        seg = full[:, s:s + w]
        out[k, :, :seg.shape[1]] = seg
    return out, starts, n < w


def run(job):
    kind = job['kind']
    if kind == 'butter':
        return {'sos': enc(ss.butter(job['order'], [job['low'], job['high']], btype='bandpass', fs=job['fs'], output='sos'))}
    if kind == 'notch':
        b, a = ss.iirnotch(job['freq'], job['q'], fs=job['fs'])
        return {'b': enc(b), 'a': enc(a)}
    if kind == 'firwin':
        return {'h': enc(ss.firwin(job['numtaps'], job['cutoff'], window=('kaiser', 5.0)))}
    if kind == 'resample':
        return {'y': enc(ss.resample_poly(dec(job['x']), job['up'], job['down']))}
    if kind == 'sosfiltfilt':
        return {'y': enc(ss.sosfiltfilt(dec(job['sos']).reshape(-1, 6), dec(job['x'])))}
    if kind == 'filtfilt':
        return {'y': enc(ss.filtfilt(dec(job['b']), dec(job['a']), dec(job['x'])))}
    if kind == 'record':
        x, fs, leads = read_record(job['path'])
        stages = pipeline(x, fs, job['spec'], job.get('stages', False))
        wins, starts, padded = window(stages['standardised'], leads, job['spec'])
        res = {k: enc(v) for k, v in stages.items()}
        res.update(rate=fs, leads=leads, raw=enc(x), windows=enc(wins), starts=starts, padded=padded)
        return res
    if kind == 'training':
        return run_training(job)
    raise ValueError(f'unknown job kind {kind!r}')


def run_training(job):
    """The project's own Python preprocessing, so the TS twin is checked against the code that trains the models."""
    import os
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
    sys.path.insert(0, os.path.join(repo, 'training'))
    try:
        from ecgtriage import preprocess as tp
    except ImportError as e:
        raise SystemExit(f'training pipeline not importable from {repo}/training: {e}')
    x, fs, leads = read_record(job['path'])
    if leads != LEADS:
        raise ValueError(f"{job['path']}: leads {leads} are not the standard 12 in order")
    spec = job['spec'] or tp.default_spec(job['targetRateHz'])
    present = [lead not in job.get('absent', []) for lead in LEADS]
    out = tp.preprocess(x, fs, spec, present=present, place=job['path'])
    return {'spec': spec, 'windows': enc(out.windows), 'padded': bool(out.padded), 'missing': out.missing_leads}


def main():
    req = json.load(sys.stdin)
    json.dump({'results': [run(j) for j in req['jobs']]}, sys.stdout)


if __name__ == '__main__':
    main()
