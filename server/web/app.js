// xmodal search page: one query (a text, an image or sound file, a microphone recording, or
// an indexed item for "more like this") against the modalities ticked, results rendered as a
// grid of cards. Talks to the server's JSON API (the protobuf JSON mapping of xmodal.v1):
//   POST /v1/search                 JSON SearchRequest, or multipart/form-data with a file part
//                                   named image|audio|file plus `targets` (repeated) and `k`
//   GET  /v1/items/{id}             {"item": {...}}
//   GET  /v1/items/{id}/content     the item's bytes (Range supported: audio seeking)
//   GET  /v1/items/{id}/thumbnail   a JPEG of an image item (?size=N)
//   GET  /v1/info                   model, counts per modality, generation
// Errors come back as HTTP 4xx/5xx with {"code": "...", "message": "..."}.
//
// Text and item searches live in the URL (?q=TEXT or ?item=ID, plus &targets=image,audio&k=20)
// through history.pushState, so a search can be shared, reloaded and navigated back to;
// uploads and recordings cannot be put in a URL.
//
// The page exposes window.xmodal (renderHits, search, encodeWav, lastRecording) for tests.

// ---------------------------------------------------------------------------------------------
// Constants and element handles

const ENUM_OF = { text: 'MODALITY_TEXT', image: 'MODALITY_IMAGE', audio: 'MODALITY_AUDIO' };
const SHORT_OF = { MODALITY_TEXT: 'text', MODALITY_IMAGE: 'image', MODALITY_AUDIO: 'audio' };
const ALL_TARGETS = ['text', 'image', 'audio'];
const DEFAULT_K = 20;
const MAX_RECORD_SECONDS = 5;
const THUMBNAIL_SIZE = 256;

const $ = (id) => document.getElementById(id);
const ui = {
  form: $('search-form'),
  q: $('q'),
  file: $('file'),
  drop: $('drop'),
  mic: $('mic'),
  micLabel: $('mic-label'),
  k: $('k'),
  targetBoxes: [...document.querySelectorAll('input[name="targets"]')],
  info: $('info'),
  querySummary: $('query-summary'),
  status: $('status'),
  error: $('error'),
  urlNote: $('url-note'),
  results: $('results'),
  timings: $('timings'),
  generation: $('generation'),
};

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

// el('a', {class: 'x', href: '/'}, 'text', child): an element with attributes and children.
// Attribute values of null/undefined are skipped; children may be strings or nodes.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const itemPath = (id) => `/v1/items/${encodeURIComponent(id)}`;
const contentUrl = (id) => `${itemPath(id)}/content`;
const thumbnailUrl = (id) => `${itemPath(id)}/thumbnail?size=${THUMBNAIL_SIZE}`;
const basename = (uri) => (uri ?? '').split(/[\\/]/).filter(Boolean).pop() ?? uri ?? '';

// 125.4 -> "2:05.4"
function formatSeconds(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  const minutes = Math.floor(s / 60);
  return `${minutes}:${(s - minutes * 60).toFixed(1).padStart(4, '0')}`;
}

function formatMs(ms) {
  const v = Number(ms) || 0;
  return v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`;
}

// ---------------------------------------------------------------------------------------------
// Search state and the URL
//
// A search is {query, targets, k}: query is {text}, {itemId} or {file, part, label} (part is
// the multipart field: image, audio or file); targets are short names ('image', ...).

function selectedTargets() {
  return ui.targetBoxes.filter((box) => box.checked).map((box) => box.value);
}

function selectedK() {
  return Number.parseInt(ui.k.value, 10) || DEFAULT_K;
}

// The search a URL's query string describes, or null when it names none.
function searchFromUrl(search) {
  const params = new URLSearchParams(search);
  const text = params.get('q');
  const itemId = params.get('item');
  const listed = (params.get('targets') ?? '').split(',').map((t) => t.trim().toLowerCase());
  const known = listed.filter((t) => ALL_TARGETS.includes(t));
  const targets = known.length > 0 ? known : [...ALL_TARGETS];
  const k = Number.parseInt(params.get('k') ?? '', 10);
  const query = itemId ? { itemId } : text?.trim() ? { text } : null;
  return {
    query,
    targets,
    k: k >= 1 && k <= 1000 ? k : DEFAULT_K,
  };
}

// The URL of a search; an upload keeps only its options.
function urlOf(search) {
  const params = new URLSearchParams();
  if (search.query?.text !== undefined) params.set('q', search.query.text);
  if (search.query?.itemId !== undefined) params.set('item', search.query.itemId);
  params.set('targets', search.targets.join(','));
  params.set('k', String(search.k));
  return `${location.pathname}?${params.toString().replaceAll('%2C', ',')}`;
}

// Records `search` in the session history: a new entry unless the URL stays the same. The
// state holds the File of an upload (structured-cloneable) so that Back can run it again.
function recordInHistory(search) {
  const url = urlOf(search);
  const same = url === location.pathname + location.search && !search.query?.file;
  const method = same ? 'replaceState' : 'pushState';
  try {
    history[method]({ search }, '', url);
  } catch {
    history[method]({ search: { ...search, query: null } }, '', url);  // not cloneable
  }
}

// Puts a search's options back into the form (after a URL load or Back).
function showInForm(search) {
  for (const box of ui.targetBoxes) box.checked = search.targets.includes(box.value);
  const k = String(search.k);
  if (![...ui.k.options].some((o) => o.value === k)) ui.k.append(el('option', { value: k }, k));
  ui.k.value = k;
  ui.q.value = search.query?.text ?? '';
}

// ---------------------------------------------------------------------------------------------
// Talking to the server

class ApiError extends Error {
  constructor(message, code, httpStatus) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

// fetch() that resolves to the parsed JSON body and throws ApiError for HTTP errors (with the
// server's message) and unreachable servers.
async function fetchJson(url, init = {}) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(`Cannot reach the server (${err.message})`, 'UNAVAILABLE', 0);
  }
  const raw = await response.text();
  let body = null;
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body?.message || raw.trim() || response.statusText || 'Request failed';
    throw new ApiError(message, body?.code ?? `HTTP ${response.status}`, response.status);
  }
  if (body === null) throw new ApiError('The answer is not JSON', 'DATA_LOSS', 0);
  return body;
}

// The fetch() options of a search: JSON for texts and items, multipart for files.
function searchRequestInit(search, signal) {
  const { query, targets, k } = search;
  if (query.file) {
    const form = new FormData();
    form.append(query.part, query.file, query.file.name || `upload.${query.part}`);
    for (const t of targets) form.append('targets', t);
    form.append('k', String(k));
    return { method: 'POST', body: form, signal };
  }
  const body = {
    query: query.itemId !== undefined ? { itemId: query.itemId } : { text: query.text },
    targets: targets.map((t) => ENUM_OF[t]),
    k,
  };
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    signal,
  };
}

// ---------------------------------------------------------------------------------------------
// Running a search

let searchCount = 0;        // increases with every search started; stale answers are dropped
let inFlight = null;        // AbortController of the running search
let currentSearch = null;   // the last search started

// Runs `search`, shows its hits, timings and errors. `record`: add it to the history.
async function runSearch(search, { record = true } = {}) {
  if (!search?.query) return;
  currentSearch = search;
  const id = ++searchCount;
  inFlight?.abort();
  inFlight = new AbortController();
  if (record) recordInHistory(search);
  showInForm(search);
  describeQuery(search);
  ui.urlNote.hidden = !search.query.file;
  hideError();
  setStatus('loading', 'Searching…');
  ui.results.setAttribute('aria-busy', 'true');

  const started = performance.now();
  try {
    const response = await fetchJson('/v1/search', searchRequestInit(search, inFlight.signal));
    if (id !== searchCount) return;
    const hits = response.hits ?? [];
    const roundTrip = performance.now() - started;
    renderHits(hits);
    showTimings(response.timings ?? {}, roundTrip);
    showGeneration(response.generation);
    const noun = hits.length === 1 ? 'result' : 'results';
    setStatus('done', hits.length ? `${hits.length} ${noun}` : 'No results');
  } catch (err) {
    if (err.name === 'AbortError' || id !== searchCount) return;
    renderHits([]);
    showError(err);
    setStatus('error', 'Search failed');
  } finally {
    if (id === searchCount) ui.results.removeAttribute('aria-busy');
  }
}

// A new search with the form's targets and k.
function searchFor(query) {
  return runSearch({ query, targets: selectedTargets(), k: selectedK() });
}

function searchText(text) {
  if (!text.trim()) {
    setStatus('idle', 'Type something to search for, drop a file or record a sound.');
    return;
  }
  searchFor({ text });
}

// The multipart field for a file: its MIME type when it tells, else the server sniffs.
function partFor(file) {
  if (file.type.startsWith('image/')) return 'image';
  if (file.type.startsWith('audio/')) return 'audio';
  return 'file';
}

function searchFile(file, label = file.name) {
  searchFor({ file, part: partFor(file), label });
}

function moreLikeThis(itemId) {
  window.scrollTo({ top: 0 });
  searchFor({ itemId });
}

// The line above the results saying what was searched for. Items are looked up
// (GET /v1/items/{id}) to name their source.
function describeQuery(search) {
  const { query } = search;
  const line = ui.querySummary;
  line.hidden = false;
  if (query.text !== undefined) {
    line.textContent = `Results for “${query.text}”`;
  } else if (query.file) {
    line.textContent = `Results for ${query.label || 'the uploaded file'}`;
  } else {
    line.textContent = `More like item ${query.itemId}`;
    fetchJson(itemPath(query.itemId))
      .then(({ item }) => {
        if (currentSearch !== search || !item) return;
        const kind = SHORT_OF[item.modality] ?? 'item';
        const name = kind === 'text' && item.text ? `“${item.text}”` : basename(item.sourceUri);
        line.textContent = `More like the ${kind} ${name}`;
      })
      .catch(() => {});  // the search itself reports unknown items
  }
}

// ---------------------------------------------------------------------------------------------
// Status, errors, timings, collection info

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function showError(err) {
  ui.error.hidden = false;
  ui.error.dataset.code = err.code ?? '';
  ui.error.replaceChildren(
    err.code ? el('span', { class: 'error-code' }, err.code) : '',
    ` ${err.message}`,
  );
}

function hideError() {
  ui.error.hidden = true;
  ui.error.dataset.code = '';
  ui.error.textContent = '';
}

function showTimings(timings, roundTripMs) {
  const stages = [
    ['queue', timings.queueMs], ['decode', timings.decodeMs], ['encode', timings.encodeMs],
    ['search', timings.searchMs], ['fetch', timings.fetchMs],
  ];
  const parts = [];
  for (const [name, value] of stages) {
    ui.timings.dataset[`${name}Ms`] = String(value ?? 0);
    parts.push(el('span', { class: 'stage' }, `${name} `, el('b', {}, formatMs(value))));
  }
  ui.timings.dataset.roundTripMs = String(roundTripMs);
  const total = el('b', {}, formatMs(roundTripMs));
  parts.push(el('span', { class: 'stage total' }, 'round trip ', total));
  ui.timings.replaceChildren(...parts);
}

let shownGeneration = null;

function showGeneration(generation) {
  if (generation === undefined || generation === null) return;
  const g = String(generation);
  ui.generation.dataset.generation = g;
  ui.generation.textContent = `Index generation ${g}`;
  if (shownGeneration !== null && shownGeneration !== g) loadInfo();  // a newer index is served
}

// Collection info in the header, and the item counts next to the target toggles.
async function loadInfo() {
  try {
    const info = await fetchJson('/v1/info');
    const counts = {};
    for (const m of info.modalities ?? []) counts[SHORT_OF[m.modality]] = Number(m.items ?? 0);
    for (const span of document.querySelectorAll('.count[data-modality]')) {
      const n = counts[span.dataset.modality];
      span.textContent = n === undefined ? '(0)' : `(${n.toLocaleString()})`;
    }
    const nouns = {
      text: ['text', 'texts'], image: ['image', 'images'], audio: ['sound', 'sounds']
    };
    const parts = Object.entries(counts)
      .map(([m, n]) => `${n.toLocaleString()} ${nouns[m]?.[n === 1 ? 0 : 1] ?? m}`);
    const model = info.model ? `${info.model.name} ${info.model.version}`.trim() : 'unknown model';
    shownGeneration = String(info.generation ?? '');
    ui.info.dataset.generation = shownGeneration;
    ui.info.dataset.model = info.model?.name ?? '';
    ui.info.textContent = [model, ...parts, `generation ${shownGeneration}`].join(' · ');
    if (info.serverVersion) ui.info.title = info.serverVersion;
  } catch (err) {
    ui.info.textContent = `Collection info unavailable: ${err.message}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Results

// Audio sources are attached when a card nears the viewport, so 1,000 sound hits do not start
// 1,000 downloads.
const audioObserver = 'IntersectionObserver' in window
  ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      attachAudioSource(entry.target);
      audioObserver.unobserve(entry.target);
    }
  }, { rootMargin: '800px 0px' })
  : null;

function attachAudioSource(audio) {
  if (!audio.getAttribute('src') && audio.dataset.src) audio.src = audio.dataset.src;
}

// Starts playback at the hit's segment once the duration is known.
function seekToSegment(event) {
  const audio = event.currentTarget;
  const start = Number(audio.dataset.startSeconds) || 0;
  if (start > 0 && audio.currentTime < start) audio.currentTime = start;
}

function imageView(hit, name) {
  const img = el('img', {
    src: thumbnailUrl(hit.itemId), alt: name, loading: 'lazy', decoding: 'async',
    width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE,
  });
  img.addEventListener('error', () => img.classList.add('broken'), { once: true });
  return el('a', {
    class: 'thumb', href: contentUrl(hit.itemId), target: '_blank', rel: 'noopener',
    'aria-label': `Open image ${name}`,
  }, img);
}

function audioView(hit) {
  const start = Number(hit.startSeconds) || 0;
  const end = Number(hit.endSeconds) || 0;
  const audio = el('audio', {
    controls: '', preload: 'metadata', 'data-src': contentUrl(hit.itemId),
    'data-start-seconds': start, 'data-end-seconds': end,
    'aria-label': `Play ${basename(hit.sourceUri)} from ${formatSeconds(start)}`,
  });
  audio.addEventListener('loadedmetadata', seekToSegment, { once: true });
  if (audioObserver) audioObserver.observe(audio); else attachAudioSource(audio);
  const segment = el('p', { class: 'segment' },
    'Best match ', el('time', {}, formatSeconds(start)), '–', el('time', {}, formatSeconds(end)));
  return el('div', { class: 'player' }, audio, segment);
}

function textView(hit) {
  return el('blockquote', { class: 'hit-text' }, hit.text ?? '');
}

function metadataList(metadata) {
  const entries = Object.entries(metadata ?? {});
  if (entries.length === 0) return null;
  const dl = el('dl', { class: 'metadata' });
  for (const [key, value] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    dl.append(el('div', { 'data-key': key }, el('dt', {}, key), el('dd', {}, value)));
  }
  return dl;
}

// One result card: the media (thumbnail, player or text), score, source, metadata and
// the "More like this" button.
function hitCard(hit, index) {
  const modality = SHORT_OF[hit.modality] ?? 'unknown';
  const name = basename(hit.sourceUri) || hit.itemId;
  const score = Number(hit.score) || 0;
  const card = el('li', {
    class: `hit hit-${modality}`, 'data-item-id': hit.itemId, 'data-modality': modality,
    'data-score': score, 'data-rank': index + 1, 'data-source-uri': hit.sourceUri ?? '',
  });
  const view = modality === 'image' ? imageView(hit, name)
    : modality === 'audio' ? audioView(hit) : textView(hit);
  const header = el('div', { class: 'hit-head' },
    el('span', { class: 'rank' }, `#${index + 1}`),
    el('span', { class: 'modality' }, modality),
    el('span', { class: 'score', title: 'cosine similarity' }, score.toFixed(3)));
  const source = el('a', {
    class: 'source', href: contentUrl(hit.itemId), target: '_blank', rel: 'noopener',
    title: hit.sourceUri ?? '',
  }, name);
  const more = el('button', {
    type: 'button', class: 'more-like-this', 'data-item-id': hit.itemId,
    'aria-label': `More like ${name}`,
  }, 'More like this');
  card.append(...[header, view, source, metadataList(hit.metadata), more].filter(Boolean));
  return card;
}

// Replaces the results with `hits` (SearchResponse.hits in the JSON mapping), built off-DOM in
// one fragment. Returns the number of cards.
function renderHits(hits) {
  audioObserver?.disconnect();  // the old cards' players
  const fragment = document.createDocumentFragment();
  hits.forEach((hit, i) => fragment.append(hitCard(hit, i)));
  ui.results.replaceChildren(fragment);
  ui.results.dataset.hitCount = String(hits.length);
  ui.results.dataset.renderCount = String(Number(ui.results.dataset.renderCount || 0) + 1);
  return hits.length;
}

// ---------------------------------------------------------------------------------------------
// Microphone: PCM from the Web Audio API (an AudioWorklet, or a ScriptProcessor where there is
// none), encoded as a 16-bit mono WAV here: MediaRecorder's WebM/Opus is not what the server
// decodes.

const WORKLET_SOURCE = `
class XmodalPcmTap extends AudioWorkletProcessor {
  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const n = channels[0].length;
      const mono = new Float32Array(n);
      for (const channel of channels) {
        for (let i = 0; i < n; i++) mono[i] += channel[i] / channels.length;
      }
      this.port.postMessage(mono, [mono.buffer]);
    }
    return true;
  }
}
registerProcessor('xmodal-pcm-tap', XmodalPcmTap);
`;

// Starts capturing the microphone. Resolves to {sampleRate, seconds(), stop()}; stop()
// releases the device and resolves to the mono samples (Float32Array).
async function startCapture(maxSeconds) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false,
    },
  });
  const context = new AudioContext();
  try {
    await context.resume();
    const source = context.createMediaStreamSource(stream);
    const maxSamples = Math.round(maxSeconds * context.sampleRate);
    const chunks = [];
    let total = 0;
    let capturing = true;
    const collect = (samples) => {
      if (!capturing || total >= maxSamples) return;
      const kept = samples.subarray(0, maxSamples - total);
      chunks.push(kept);
      total += kept.length;
    };
    let tap;
    if (context.audioWorklet && typeof AudioWorkletNode === 'function') {
      const url = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'text/javascript' }));
      try {
        await context.audioWorklet.addModule(url);
      } finally {
        URL.revokeObjectURL(url);
      }
      tap = new AudioWorkletNode(context, 'xmodal-pcm-tap');
      tap.port.onmessage = (event) => collect(event.data);
    } else {
      tap = context.createScriptProcessor(4096, 1, 1);
      tap.onaudioprocess = (event) => {
        collect(new Float32Array(event.inputBuffer.getChannelData(0)));
      };
    }
    // Nodes only run when something pulls them: a muted gain to the output.
    const mute = context.createGain();
    mute.gain.value = 0;
    source.connect(tap);
    tap.connect(mute);
    mute.connect(context.destination);
    return {
      sampleRate: context.sampleRate,
      seconds: () => total / context.sampleRate,
      async stop() {
        capturing = false;
        source.disconnect();
        tap.disconnect();
        stream.getTracks().forEach((track) => track.stop());
        await context.close();
        const samples = new Float32Array(total);
        let offset = 0;
        for (const chunk of chunks) {
          samples.set(chunk, offset);
          offset += chunk.length;
        }
        return samples;
      },
    };
  } catch (err) {
    stream.getTracks().forEach((track) => track.stop());
    await context.close();
    throw err;
  }
}

// A RIFF/WAVE file of 16-bit PCM, one channel, from samples in [-1, 1].
function encodeWav(samples, sampleRate) {
  const dataBytes = samples.length * 2;
  const view = new DataView(new ArrayBuffer(44 + dataBytes));
  const ascii = (offset, text) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);              // fmt chunk size
  view.setUint16(20, 1, true);               // PCM
  view.setUint16(22, 1, true);               // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);  // byte rate
  view.setUint16(32, 2, true);               // block align
  view.setUint16(34, 16, true);              // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([view.buffer], { type: 'audio/wav' });
}

const mic = { capture: null, timer: null, ticker: null, busy: false, lastRecording: null };

function setMicState(state, label) {
  ui.mic.dataset.state = state;
  ui.mic.setAttribute('aria-pressed', String(state === 'recording'));
  ui.micLabel.textContent = label;
}

async function toggleRecording() {
  if (mic.busy) return;
  if (mic.capture) {
    await stopRecording();
    return;
  }
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    showError(new ApiError('Recording needs a secure page (HTTPS or localhost).', 'UNAVAILABLE'));
    return;
  }
  mic.busy = true;
  hideError();
  try {
    mic.capture = await startCapture(MAX_RECORD_SECONDS);
    setMicState('recording', `Stop (${MAX_RECORD_SECONDS}s)`);
    setStatus('recording', 'Recording… click the microphone again to stop.');
    mic.timer = setTimeout(stopRecording, MAX_RECORD_SECONDS * 1000 + 100);
    mic.ticker = setInterval(() => {
      const left = Math.max(0, MAX_RECORD_SECONDS - mic.capture.seconds());
      setMicState('recording', `Stop (${Math.ceil(left)}s)`);
    }, 250);
  } catch (err) {
    mic.capture = null;
    setMicState('idle', 'Record');
    showError(new ApiError(`Microphone unavailable: ${err.message || err.name}`, err.name));
    setStatus('error', 'Recording failed');
  } finally {
    mic.busy = false;
  }
}

async function stopRecording() {
  const capture = mic.capture;
  if (!capture || mic.busy) return;
  mic.busy = true;
  clearTimeout(mic.timer);
  clearInterval(mic.ticker);
  try {
    const samples = await capture.stop();
    if (samples.length === 0) throw new Error('nothing was recorded');
    const seconds = samples.length / capture.sampleRate;
    const wav = encodeWav(samples, capture.sampleRate);
    const file = new File([wav], 'recording.wav', { type: 'audio/wav' });
    mic.lastRecording = file;
    searchFile(file, `your recording (${seconds.toFixed(1)} s)`);
  } catch (err) {
    showError(new ApiError(`Recording failed: ${err.message}`, 'INTERNAL'));
    setStatus('error', 'Recording failed');
  } finally {
    mic.capture = null;
    mic.busy = false;
    setMicState('idle', 'Record');
  }
}

// ---------------------------------------------------------------------------------------------
// Events

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  searchText(ui.q.value);
});

// Changing the targets or k runs the current search again with them.
for (const control of [...ui.targetBoxes, ui.k]) {
  control.addEventListener('change', () => {
    if (currentSearch) runSearch({ ...currentSearch, targets: selectedTargets(), k: selectedK() });
  });
}

ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  if (file) searchFile(file);
});

// The drop zone: drop a file, or activate it to open the file picker.
for (const type of ['dragenter', 'dragover']) {
  ui.drop.addEventListener(type, (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    ui.drop.classList.add('dragging');
  });
}
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('dragging'));
ui.drop.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.drop.classList.remove('dragging');
  const file = event.dataTransfer?.files?.[0];
  if (file) searchFile(file);
  else showError(new ApiError('Drop a file: an image or a sound.', 'INVALID_ARGUMENT'));
});
ui.drop.addEventListener('click', (event) => {
  if (!event.target.closest('label, input')) ui.file.click();
});
ui.drop.addEventListener('keydown', (event) => {
  if (event.target === ui.drop && (event.key === 'Enter' || event.key === ' ')) {
    event.preventDefault();
    ui.file.click();
  }
});
// Pasting an image (e.g. a screenshot) searches with it.
document.addEventListener('paste', (event) => {
  const file = [...(event.clipboardData?.files ?? [])][0];
  if (file) {
    event.preventDefault();
    searchFile(file, `the pasted ${partFor(file) === 'audio' ? 'sound' : 'image'}`);
  }
});

ui.mic.addEventListener('click', toggleRecording);

// One listener for every card's "More like this".
ui.results.addEventListener('click', (event) => {
  const button = event.target.closest('.more-like-this');
  if (button) moreLikeThis(button.dataset.itemId);
});

// Back/Forward: run the entry's search again (an upload only if its File was kept).
window.addEventListener('popstate', (event) => {
  const search = event.state?.search?.query ? event.state.search : searchFromUrl(location.search);
  if (search.query) {
    runSearch(search, { record: false });
    return;
  }
  inFlight?.abort();
  currentSearch = null;
  showInForm(search);
  renderHits([]);
  ui.querySummary.hidden = true;
  ui.urlNote.hidden = !event.state?.search;
  hideError();
  setStatus('idle', event.state?.search ? 'That search used an upload, which is not kept.' : '');
});

// ---------------------------------------------------------------------------------------------
// Start: collection info, then the URL's search if it names one.

window.xmodal = Object.freeze({
  renderHits,
  search: runSearch,
  searchFromUrl,
  encodeWav,
  get lastRecording() { return mic.lastRecording; },
  get searchCount() { return searchCount; },
});

loadInfo();
const initial = searchFromUrl(location.search);
showInForm(initial);
if (initial.query) {
  history.replaceState({ search: initial }, '', urlOf(initial));
  runSearch(initial, { record: false });
} else {
  ui.q.focus();
}
