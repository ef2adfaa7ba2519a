extension StaticAssets {
    /// The page's script: the event stream, the tiles, the overlay, flashing and sound. No library, no CDN.
    static let script = #"""
        'use strict';
        // The central station page: draws what infusion-web relays (docs/CENTRAL-STATION.md), counts ages
        // and time left between messages, flashes and sounds alarms by IEC 60601-1-8 priority, and covers the
        // whole page when either link (browser to infusion-web, infusion-web to infusiond) is lost.

        const HEARTBEAT_TIMEOUT_MS = 8000;       // no message for this long: the stream is taken as lost
        const SOUND_LOST_LINK_AFTER_MS = 10000;  // a lost link sounds as a high technical alarm after this
        const RECONNECT_MS = 2000;

        const station = {
          chairs: new Map(),     // chair id -> tile
          daemon: null,          // {state, reason, since}
          offset: 0,             // server clock minus this browser's clock, ms
          lastMessageAt: 0,      // Date.now() of the newest message
          lastEventId: '',
          seq: null,
          streamOpen: false,
          streamLostAt: Date.now(),
        };

        const VITAL_ROWS = [
          { parameter: 'spo2', label: 'SpO\u2082', unit: '%', digits: 0 },
          { parameter: 'ecgHeartRate', label: 'HR (ECG)', unit: '/min', digits: 0 },
          { parameter: 'pulseRate', label: 'Pulse (SpO\u2082)', unit: '/min', digits: 0 },
        ];
        const PRIORITY_RANK = { high: 3, medium: 2, low: 1 };
        const PRIORITY_MARK = { high: '***', medium: '**', low: '*' };

        function serverNow() { return Date.now() + station.offset; }

        function el(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined && text !== null) node.textContent = text;
          return node;
        }

        function fixed(value, digits) { return Number(value).toFixed(digits); }

        function duration(seconds) {
          seconds = Math.max(0, Math.round(seconds));
          if (seconds < 60) return seconds + ' s';
          const minutes = Math.floor(seconds / 60);
          if (minutes < 60) return minutes + ' min ' + String(seconds % 60).padStart(2, '0') + ' s';
          return Math.floor(minutes / 60) + ' h ' + String(minutes % 60).padStart(2, '0') + ' min';
        }

        function ageText(timeMs) { return duration((serverNow() - timeMs) / 1000) + ' ago'; }

        function clockText(timeMs) {
          return new Date(timeMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
        }

        // "monitorLinkLost" -> "Monitor link lost"
        function words(name) {
          const spaced = String(name).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
          return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase().replace(/\bspo2\b/g, 'SpO\u2082')
            .replace(/\becg\b/g, 'ECG').replace(/\bnibp\b/g, 'NIBP');
        }

        // A reading is current only while younger than its maximum age; the server's flag holds as of its message.
        function isStale(vital) {
          if (vital.stale) return true;
          if (vital.maximumAgeSeconds === undefined || vital.maximumAgeSeconds === null) return false;
          return (serverNow() - vital.measuredAt) / 1000 > vital.maximumAgeSeconds;
        }

        function trendSvg(tile, parameter) {
          const trend = (tile.trends || []).find((t) => t.parameter === parameter);
          const ns = 'http://www.w3.org/2000/svg';
          const svg = document.createElementNS(ns, 'svg');
          svg.setAttribute('class', 'trend');
          svg.setAttribute('viewBox', '0 0 100 24');
          svg.setAttribute('preserveAspectRatio', 'none');
          if (!trend || trend.points.length < 1) return svg;
          const end = serverNow(), start = end - 15 * 60 * 1000;
          const values = trend.points.map((p) => p[1]);
          let low = Math.min(...values), high = Math.max(...values);
          if (high - low < 4) { low -= 2; high += 2; }
          const xy = trend.points.filter((p) => p[0] >= start).map((p) =>
            [((p[0] - start) / (end - start)) * 100, 22 - ((p[1] - low) / (high - low)) * 20]);
          // A single reading so far is a short dash where it stands in the 15 minutes.
          if (xy.length === 1) xy.unshift([xy[0][0] - 1.5, xy[0][1]]);
          const line = document.createElementNS(ns, 'polyline');
          line.setAttribute('points', xy.map((p) => fixed(p[0], 1) + ',' + fixed(p[1], 1)).join(' '));
          svg.appendChild(line);
          const title = document.createElementNS(ns, 'title');
          title.textContent = 'last 15 min: ' + fixed(Math.min(...values), 0) + ' to ' + fixed(Math.max(...values), 0);
          svg.appendChild(title);
          return svg;
        }

        function vitalRow(tile, row) {
          const vital = (tile.vitals || []).find((v) => v.parameter === row.parameter);
          const line = el('div', 'row vital');
          line.dataset.parameter = row.parameter;
          line.appendChild(el('span', 'label', row.label));
          if (!vital) {
            line.appendChild(el('span', 'absent', '\u2014'));
          } else if (isStale(vital)) {
            line.dataset.stale = 'true';
            line.appendChild(el('span', 'stale-mark', 'STALE'));
            const last = vital.value === undefined || vital.value === null ? 'no value' : fixed(vital.value, row.digits) + ' ' + row.unit;
            line.appendChild(el('span', 'stale-last', 'last ' + last));
            line.appendChild(el('span', 'age', ageText(vital.measuredAt)));
          } else if (vital.value === undefined || vital.value === null) {
            line.appendChild(el('span', 'absent', (vital.flags && vital.flags.length ? vital.flags.map(words).join(', ') : 'no value')));
            line.appendChild(el('span', 'age', ageText(vital.measuredAt)));
          } else {
            line.appendChild(el('span', 'big', fixed(vital.value, row.digits)));
            line.appendChild(el('span', 'unit', row.unit));
            line.appendChild(el('span', 'age', ageText(vital.measuredAt)));
          }
          line.appendChild(trendSvg(tile, row.parameter));
          return line;
        }

        function pressureRow(tile) {
          const find = (name) => (tile.vitals || []).find((v) => v.parameter === name);
          const systolic = find('nibpSystolic'), diastolic = find('nibpDiastolic'), mean = find('nibpMean');
          const line = el('div', 'row vital');
          line.dataset.parameter = 'nibp';
          line.appendChild(el('span', 'label', 'NIBP'));
          if (!systolic) {
            line.appendChild(el('span', 'absent', '\u2014'));
            return line;
          }
          const text = (systolic.value ?? '\u2013') + '/' + (diastolic && diastolic.value !== undefined ? diastolic.value : '\u2013')
            + (mean && mean.value !== undefined ? ' (' + mean.value + ')' : '');
          if (isStale(systolic)) {
            line.dataset.stale = 'true';
            line.appendChild(el('span', 'stale-mark', 'STALE'));
            line.appendChild(el('span', 'stale-last', 'last ' + text + ' mmHg'));
          } else {
            line.appendChild(el('span', 'big', text));
            line.appendChild(el('span', 'unit', 'mmHg'));
          }
          line.appendChild(el('span', 'age', ageText(systolic.measuredAt)));
          line.appendChild(trendSvg(tile, 'nibpSystolic'));
          return line;
        }

        function alarmList(tile) {
          const list = el('ul', 'alarms');
          for (const alarm of tile.alarms || []) {
            const quiet = alarm.acknowledged || alarm.audioPaused;
            const item = el('li', 'alarm ' + alarm.priority + (quiet ? ' quiet' : ''),
              (PRIORITY_MARK[alarm.priority] || '') + ' ' + words(alarm.condition));
            item.dataset.condition = alarm.condition;
            item.dataset.priority = alarm.priority;
            const states = [];
            if (alarm.latched) states.push('LATCHED');
            if (alarm.acknowledged) states.push('ACKNOWLEDGED');
            if (alarm.audioPaused) {
              const left = tile.audioPausedUntil ? ' ' + duration((tile.audioPausedUntil - serverNow()) / 1000) : '';
              states.push('AUDIO PAUSED' + left);
            }
            if (states.length) item.appendChild(el('span', 'inactivation', states.join(' \u00b7 ')));
            list.appendChild(item);
          }
          return list;
        }

        function pumpRows(tile, box) {
          const rate = el('div', 'row');
          rate.appendChild(el('span', 'label', 'Rate'));
          if (tile.deliveryUncertainReason) {
            rate.appendChild(el('span', 'uncertain', 'FLOW UNKNOWN'));
            rate.appendChild(el('span', 'age', words(tile.deliveryUncertainReason)));
          } else if (tile.flowMillilitresPerHour !== undefined) {
            rate.appendChild(el('span', 'big', fixed(tile.flowMillilitresPerHour, 2)));
            rate.appendChild(el('span', 'unit', 'mL/h'));
            if (tile.doseRate !== undefined) {
              rate.appendChild(el('span', 'big second', fixed(tile.doseRate, 3)));
              rate.appendChild(el('span', 'unit', tile.doseRateUnit || ''));
            }
          } else {
            rate.appendChild(el('span', 'absent', '\u2014'));
          }
          box.appendChild(rate);
          if (tile.deliveredMilligrams !== undefined) {
            const dose = el('div', 'row');
            dose.appendChild(el('span', 'label', 'Delivered'));
            dose.appendChild(el('span', 'big', fixed(tile.deliveredMilligrams, 1)));
            dose.appendChild(el('span', 'unit', tile.programmedMilligrams !== undefined ? 'of ' + fixed(tile.programmedMilligrams, 1) + ' mg' : 'mg'));
            box.appendChild(dose);
            if (tile.estimatedCompletion !== undefined) {
              const left = el('div', 'row');
              left.appendChild(el('span', 'label', 'Time left'));
              left.appendChild(el('span', 'big', duration((tile.estimatedCompletion - serverNow()) / 1000)));
              box.appendChild(left);
            }
          }
          if (tile.bolusEndsAt !== undefined) {
            box.appendChild(el('div', 'notice', 'Bolus running, ' + duration((tile.bolusEndsAt - serverNow()) / 1000) + ' left'));
          }
          if (tile.confirmingCuffReadingFor) {
            box.appendChild(el('div', 'notice', 'Start a cuff reading on the monitor now: it confirms '
              + tile.confirmingCuffReadingFor.map(words).join(', ')));
          }
        }

        function observationsRow(tile) {
          const row = el('div', 'observations');
          const due = tile.dueObservations || [];
          for (const entry of due) {
            const mark = el('span', 'due', 'DUE ' + entry.scale.toUpperCase() + ' (' + ageText(entry.since).replace(' ago', '') + ')');
            mark.dataset.due = entry.scale;
            row.appendChild(mark);
            row.appendChild(document.createTextNode(' '));
          }
          const latest = (tile.observations || []).map((o) => o.scale.toUpperCase() + ' ' + o.value + ' (' + ageText(o.time) + ')');
          if (latest.length) row.appendChild(document.createTextNode('Observed: ' + latest.join(' \u00b7 ')));
          return row;
        }

        function tileElement(tile) {
          const box = el('section', 'tile');
          box.id = 'chair-' + tile.id;
          box.dataset.state = tile.state;
          const top = (tile.alarms || [])[0];
          if (top) { box.classList.add('alarm-' + top.priority); box.dataset.alarm = top.priority; }
          const head = el('div', 'head');
          head.appendChild(el('span', 'chair', 'Chair ' + tile.id));
          head.appendChild(el('span', 'state ' + tile.state, words(tile.state)));
          const links = el('span', 'links');
          for (const role of Object.keys(tile.devices || {}).sort()) {
            const up = tile.devices[role] === 'up';
            links.appendChild(el('span', up ? 'link-up' : 'link-down', role + (up ? ' \u25cf up' : ' DOWN')));
            links.appendChild(document.createTextNode(' '));
          }
          head.appendChild(links);
          box.appendChild(head);
          if (tile.drugName || tile.profileID) {
            const weight = tile.weightKilograms !== undefined ? ' \u00b7 ' + fixed(tile.weightKilograms, 1) + ' kg' : '';
            const patient = tile.patient !== undefined ? 'patient ' + tile.patient + ' \u00b7 ' : '';
            box.appendChild(el('div', 'drug', patient + (tile.drugName || '') + ' \u00b7 ' + (tile.profileID || '') + weight));
          }
          box.appendChild(alarmList(tile));
          pumpRows(tile, box);
          for (const row of VITAL_ROWS) box.appendChild(vitalRow(tile, row));
          box.appendChild(pressureRow(tile));
          box.appendChild(observationsRow(tile));
          return box;
        }

        function numericOrder(a, b) {
          const x = Number(a), y = Number(b);
          return Number.isNaN(x) || Number.isNaN(y) ? String(a).localeCompare(String(b)) : x - y;
        }

        function render() {
          const tiles = document.getElementById('tiles');
          const ids = [...station.chairs.keys()].sort(numericOrder);
          const fresh = ids.map((id) => tileElement(station.chairs.get(id)));
          if (!fresh.length) fresh.push(el('p', 'empty', 'No chairs are configured in infusiond.'));
          tiles.replaceChildren(...fresh);
          document.getElementById('clock').textContent = clockText(serverNow());
          document.getElementById('cursor').textContent = station.seq !== null ? 'Event cursor ' + station.seq + '.' : '';
        }

        // --- Links: what covers the page -----------------------------------------------------------------

        function linkProblem() {
          const silent = Date.now() - station.lastMessageAt > HEARTBEAT_TIMEOUT_MS;
          if (!station.streamOpen || silent) {
            if (!station.daemon) return { reason: 'starting', title: 'CONNECTING',
              text: 'Connecting to the central station. Nothing shown here is current yet.' };
            return { reason: 'station-lost', since: station.streamLostAt, title: 'NO CONNECTION TO THE CENTRAL STATION',
              text: 'This screen lost its connection to infusion-web. Chair data shown is NOT current: watch the chairs directly.' };
          }
          if (!station.daemon || station.daemon.state === 'connecting') {
            return { reason: 'starting', title: 'CONNECTING',
              text: (station.daemon && station.daemon.reason ? station.daemon.reason : 'Connecting to infusiond') + '. Nothing shown here is current yet.' };
          }
          if (station.daemon.state === 'lost') {
            return { reason: 'daemon-lost', since: station.daemon.since - station.offset, title: 'NO CONNECTION TO INFUSIOND',
              text: 'infusion-web cannot reach infusiond (' + (station.daemon.reason || 'connection lost')
                + '). Chair data shown is NOT current: watch the chairs directly.' };
          }
          return null;
        }

        function showOverlay(problem) {
          const overlay = document.getElementById('overlay');
          if (!problem) { overlay.hidden = true; overlay.dataset.reason = 'none'; return; }
          overlay.hidden = false;
          overlay.dataset.reason = problem.reason;
          document.getElementById('overlay-title').textContent = problem.title;
          const since = problem.since ? ' Lost ' + duration((Date.now() - problem.since) / 1000) + ' ago.' : '';
          document.getElementById('overlay-text').textContent = problem.text + since;
        }

        // --- Sound: IEC 60601-1-8 burst patterns through WebAudio --------------------------------------------

        // Pulse onsets in ms within one burst, and how often the burst repeats (docs/CENTRAL-STATION.md).
        const BURSTS = {
          high: { fundamental: 660, pulse: 100, onsets: [0, 150, 300, 600, 750, 1350, 1500, 1650, 1950, 2100], every: 6000 },
          medium: { fundamental: 520, pulse: 180, onsets: [0, 280, 560], every: 10000 },
          low: { fundamental: 440, pulse: 200, onsets: [0, 320], every: 20000 },
        };
        const sound = { context: null, wave: null, playing: null, nextAt: 0 };

        function enableSound() {
          try {
            if (!sound.context) {
              sound.context = new AudioContext();
              // The fundamental and four harmonics.
              const real = new Float32Array([0, 1, 0.5, 0.35, 0.25, 0.2]);
              sound.wave = sound.context.createPeriodicWave(real, new Float32Array(real.length));
            }
            sound.context.resume();
          } catch (error) {
            sound.context = null;
          }
          updateSoundState();
        }

        function soundOn() { return sound.context !== null && sound.context.state === 'running'; }

        function updateSoundState() {
          const label = document.getElementById('sound-state');
          const button = document.getElementById('sound-button');
          const on = soundOn();
          label.className = on ? 'sound-on' : 'sound-off';
          label.textContent = on ? 'Sound on' : 'SOUND IS OFF';
          button.hidden = on;
        }

        function playBurst(priority) {
          const burst = BURSTS[priority];
          const context = sound.context;
          const start = context.currentTime + 0.05;
          for (const onset of burst.onsets) {
            const oscillator = context.createOscillator();
            oscillator.setPeriodicWave(sound.wave);
            oscillator.frequency.value = burst.fundamental;
            const gain = context.createGain();
            const at = start + onset / 1000, end = at + burst.pulse / 1000;
            gain.gain.setValueAtTime(0, at);
            gain.gain.linearRampToValueAtTime(0.3, at + 0.015);
            gain.gain.setValueAtTime(0.3, end - 0.02);
            gain.gain.linearRampToValueAtTime(0, end);
            oscillator.connect(gain).connect(context.destination);
            oscillator.start(at);
            oscillator.stop(end + 0.01);
          }
        }

        // The priority to sound now: the highest unacknowledged, not audio-paused alarm of any chair, or a lost
        // link (a high technical condition) once it has lasted SOUND_LOST_LINK_AFTER_MS.
        function soundingPriority(problem) {
          if (problem && problem.reason !== 'starting') {
            return Date.now() - (problem.since || Date.now()) > SOUND_LOST_LINK_AFTER_MS ? 'high' : null;
          }
          if (problem) return null;
          let best = null;
          for (const tile of station.chairs.values()) {
            if (tile.sounding && (!best || PRIORITY_RANK[tile.sounding] > PRIORITY_RANK[best])) best = tile.sounding;
          }
          return best;
        }

        function soundTick(problem) {
          updateSoundState();
          const priority = soundingPriority(problem);
          document.body.dataset.sounding = priority || 'none';
          if (!priority || !soundOn()) { sound.playing = null; return; }
          const now = Date.now();
          const rose = !sound.playing || PRIORITY_RANK[priority] > PRIORITY_RANK[sound.playing];
          if (rose || now >= sound.nextAt) {
            playBurst(priority);
            sound.playing = priority;
            sound.nextAt = now + BURSTS[priority].every;
          }
        }

        // --- Flashing: every tile in phase; high about 2 Hz, medium 0.5 Hz, both half on ------------------------

        function flashTick() {
          const now = Date.now();
          document.body.classList.toggle('flash-high-on', now % 500 < 250);
          document.body.classList.toggle('flash-medium-on', now % 2000 < 1000);
        }

        // --- The stream --------------------------------------------------------------------------------------

        let source = null;

        function received(event) {
          const data = JSON.parse(event.data);
          if (typeof data.serverTime === 'number') station.offset = data.serverTime - Date.now();
          if (data.seq !== undefined) station.seq = data.seq;
          if (event.lastEventId) station.lastEventId = event.lastEventId;
          station.lastMessageAt = Date.now();
          station.streamOpen = true;
          return data;
        }

        function connect() {
          const query = station.lastEventId ? '?lastEventId=' + encodeURIComponent(station.lastEventId) : '';
          source = new EventSource('/events' + query);
          source.addEventListener('snapshot', (event) => {
            const data = received(event);
            station.chairs = new Map(data.chairs.map((tile) => [tile.id, tile]));
            station.daemon = data.daemon;
            refresh();
          });
          source.addEventListener('chair', (event) => {
            const data = received(event);
            station.chairs.set(data.chair.id, data.chair);
            refresh();
          });
          source.addEventListener('daemon', (event) => {
            station.daemon = received(event).daemon;
            refresh();
          });
          source.addEventListener('heartbeat', received);
          source.onopen = () => { station.lastMessageAt = Date.now(); };
          source.onerror = () => {
            if (station.streamOpen) station.streamLostAt = Date.now();
            station.streamOpen = false;
            if (source.readyState === EventSource.CLOSED) setTimeout(reconnect, RECONNECT_MS);
          };
        }

        function reconnect() {
          if (source) source.close();
          connect();
        }

        function tick() {
          if (station.streamOpen && Date.now() - station.lastMessageAt > HEARTBEAT_TIMEOUT_MS) {
            // A stream that went silent without an error: start a new one, resuming after the last id.
            station.streamOpen = false;
            station.streamLostAt = station.lastMessageAt;
            reconnect();
          }
          refresh();
        }

        // Draws the present state: at once when a message arrives (an alarm shows without waiting for the next
        // tick), and every tick for ages, time left and a silent stream.
        function refresh() {
          const problem = linkProblem();
          showOverlay(problem);
          render();
          soundTick(problem);
        }

        document.getElementById('sound-button').addEventListener('click', enableSound);

        // --- The login, when infusion-web asks for one (docs/CENTRAL-STATION.md, "Security") ----------------

        // Beyond loopback the header names who is logged in and offers to log out; on loopback /session is not found.
        fetch('/session', { cache: 'no-store' }).then((response) => response.ok ? response.json() : null).then((session) => {
          if (!session || !session.user) return;
          const account = document.getElementById('account');
          account.textContent = session.user;
          account.hidden = false;
          document.getElementById('logout-button').hidden = false;
        }).catch(() => {});
        document.getElementById('logout-button').addEventListener('click', () => {
          // same-origin: the browser names this origin in the post (the page's no-referrer policy would send null).
          fetch('/logout', { method: 'POST', referrerPolicy: 'same-origin', redirect: 'manual' })
            .finally(() => { window.location.assign('/login'); });
        });
        connect();
        setInterval(flashTick, 50);
        setInterval(tick, 500);
        tick();
        """#
}
