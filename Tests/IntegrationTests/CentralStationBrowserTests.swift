import Foundation
import Testing

/// The central station's page in a real headless Chromium (Debian's `chromium`, driven over the DevTools
/// protocol by scripts/browser-driver), served by a real infusion-web following a real infusiond that drives
/// simulated pumps and monitors for two chairs. Screenshots at desk and tablet sizes go to
/// `.build/screenshots/central-station/` for a person to look at (docs/CENTRAL-STATION.md).
@Suite(.serialized)
struct CentralStationBrowserTests {
    static let desk = (width: 1920, height: 1080)
    static let tablet = (width: 1024, height: 768)

    @Test func aNurseSeesEveryChairAnOcclusionFlashingWithinASecondAndALostInfusiond() throws {
        let shots = BrowserDriver.screenshotDirectory.appendingPathComponent("central-station")
        func photograph(_ name: String, _ browser: BrowserDriver) throws {
            for (size, viewport) in [("desk", Self.desk), ("tablet", Self.tablet)] {
                try browser.screenshot(
                    shots.appendingPathComponent("\(name)-\(size).png").path, width: viewport.width, height: viewport.height)
            }
        }
        let chairs = try SimulatedChair.infusing(additionalChairs: 1)
        let web = try WebStation(socketPath: chairs.daemon.socketPath)
        let browser = try BrowserDriver()
        defer { browser.quit() }
        try browser.open(web.baseURL + "/", width: Self.desk.width, height: Self.desk.height)

        // Every chair with its state and vitals, nothing covering them; chair 1's rate and masked patient.
        try browser.waitFor("both chairs with their state and vitals", timeout: 40, """
            (() => {
              const current = (tile, parameter) => tile && tile.querySelector('[data-parameter="' + parameter + '"] .big');
              const one = document.getElementById('chair-1'), two = document.getElementById('chair-2');
              return document.getElementById('overlay').hidden && one !== null && two !== null
                && one.dataset.state === 'infusing' && two.dataset.state !== undefined
                && current(one, 'spo2') && current(one, 'ecgHeartRate') && current(one, 'nibp')
                && current(two, 'spo2') && one.textContent.includes('5.25') && one.textContent.includes('\u{2022}\u{2022}\u{2022}17')
                && !one.classList.contains('alarm-high');
            })()
            """)
        let chairTwoState = try browser.evaluate("document.getElementById('chair-2').dataset.state") as? String
        let shownStates = try browser.evaluate(
            "[...document.querySelectorAll('#chair-2 .state, #chair-1 .state')].map((s) => s.textContent).join('|')") as? String
        #expect(shownStates?.lowercased().contains(chairTwoState?.lowercased() ?? "?") == true, "\(shownStates ?? "")")
        let spo2 = try browser.evaluate("Number(document.querySelector('#chair-1 [data-parameter=\"spo2\"] .big').textContent)") as? Double
        #expect((80...100).contains(spo2 ?? 0), "SpO2 on the page: \(spo2 ?? -1)")
        // Sound needs one click, a real user gesture; then the page says so.
        #expect(try browser.evaluate("document.getElementById('sound-state').textContent") as? String == "SOUND IS OFF")
        #expect(try browser.evaluate("document.getElementById('logout-button').hidden") as? Bool == true, "no login on loopback")
        try browser.click("#sound-button")
        try browser.waitFor("sound on after the click", timeout: 10, "document.getElementById('sound-state').textContent === 'Sound on'")
        try photograph("1-infusing", browser)

        // The moment each high alarm first shows on chair 1's tile, turned to a high alarm, by the browser's
        // clock (this machine's wall clock, as infusiond's event times are).
        _ = try browser.evaluate("""
            window.stationTest = { highAt: {} };
            new MutationObserver(() => {
              if (!document.querySelector('#chair-1.alarm-high')) return;
              for (const alarm of document.querySelectorAll('#chair-1 li.alarm.high')) {
                if (!(alarm.dataset.condition in window.stationTest.highAt)) window.stationTest.highAt[alarm.dataset.condition] = Date.now();
              }
            }).observe(document.getElementById('tiles'), { childList: true, subtree: true, attributes: true });
            true
            """)
        let watcher = try chairs.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)
        try chairs.control(chairs.pumpPath, "fault occlusion on")
        let raised = try chairs.waitForEvent(on: watcher, timeout: 30) {
            $0["event"] as? String == "alarm.raised" && $0.detail["priority"] as? String == "high"
        }
        let condition = try #require(raised.detail["condition"] as? String)
        let raisedAt = try #require(WireClockText.date(raised.detail["time"] as? String ?? ""), "\(raised)")
        let shownAt = try #require(
            try browser.waitFor("chair 1's high \(condition) alarm", timeout: 20, "window.stationTest.highAt['\(condition)']") as? Double)
        let delay = shownAt / 1000 - raisedAt.timeIntervalSince1970
        #expect(delay < 1, "chair 1's tile turned to a high alarm \(delay) s after infusiond raised \(condition)")
        #expect(
            try browser.evaluate("document.querySelector('#chair-1 li.alarm.high[data-condition=\"\(condition)\"]') !== null") as? Bool
                == true)
        #expect(try browser.evaluate("document.getElementById('chair-2').classList.contains('alarm-high')") as? Bool == false)
        // Flashing: over 1.5 s the tile's background takes both the red flash and its resting colour.
        let colours = try browser.evaluate("""
            new Promise((done) => {
              const seen = new Set(), start = Date.now();
              const sample = setInterval(() => {
                seen.add(getComputedStyle(document.getElementById('chair-1')).backgroundColor);
                if (Date.now() - start > 1500) { clearInterval(sample); done([...seen]); }
              }, 20);
            })
            """) as? [String] ?? []
        #expect(colours.contains("rgb(90, 7, 9)") && colours.count >= 2, "tile backgrounds seen: \(colours)")
        #expect(try browser.evaluate("document.body.dataset.sounding") as? String == "high")
        #expect(try browser.evaluate("sound.playing") as? String == "high", "the high burst plays once sound is on")
        try photograph("2-occlusion", browser)

        // The nurse acknowledges at the chair (the occlusion is latched: the pump stopped, so acknowledging it
        // ends it) and records a sedation score: the tile loses the alarm and its flashing, the page stops
        // sounding, and the score shows with its age.
        let nurse = try chairs.client()
        defer { nurse.close() }
        let acknowledged = try nurse.request(#"{"cmd":"ack","chair":"1","condition":"\#(condition)"}"#)
        #expect(acknowledged.ok, "\(acknowledged)")
        let observed = try nurse.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":4},"note":"browser test"}"#)
        #expect(observed.ok, "\(observed)")
        try browser.waitFor("the alarm ended and the score", timeout: 20, """
            (() => {
              const tile = document.getElementById('chair-1');
              const observations = tile && tile.querySelector('.observations');
              return tile !== null && !tile.classList.contains('alarm-high')
                && tile.querySelector('li.alarm[data-condition="\(condition)"]') === null
                && observations !== null && /MOAAS 4 \\(\\d+ s ago\\)/.test(observations.textContent)
                && document.body.dataset.sounding !== 'high';
            })()
            """)

        // infusiond goes away: the whole page is covered, the tiles below it marked not current.
        try chairs.daemon.stop(signal: SIGTERM)
        try browser.waitFor("the lost connection over the page", timeout: 20, """
            !document.getElementById('overlay').hidden && document.getElementById('overlay').dataset.reason === 'daemon-lost'
              && document.getElementById('overlay-title').textContent === 'NO CONNECTION TO INFUSIOND'
              && getComputedStyle(document.getElementById('overlay')).position === 'fixed'
            """)
        let covered = try browser.evaluate("""
            (() => { const r = document.getElementById('overlay').getBoundingClientRect();
              return r.left <= 0 && r.top <= 0 && r.right >= innerWidth && r.bottom >= innerHeight; })()
            """) as? Bool
        #expect(covered == true, "the overlay covers the whole viewport")
        try photograph("3-infusiond-lost", browser)

        // infusiond is back: the page uncovers itself and shows the chairs again.
        try chairs.startDaemonAgain()
        try browser.waitFor("the chairs again after infusiond restarted", timeout: 40, """
            document.getElementById('overlay').hidden && document.getElementById('chair-1') !== null
              && document.getElementById('chair-2') !== null
              && document.querySelector('#chair-1 [data-parameter="spo2"] .big') !== null
            """)
        try photograph("4-reconnected", browser)

        // infusion-web itself freezes: the browser's stream goes silent, and after the heartbeat timeout (8 s)
        // the page covers itself for its own link; when infusion-web runs again the page resumes by itself.
        kill(web.process.processIdentifier, SIGSTOP)
        try browser.waitFor("the lost central station over the page", timeout: 30, """
            !document.getElementById('overlay').hidden && document.getElementById('overlay').dataset.reason === 'station-lost'
              && document.getElementById('overlay-title').textContent === 'NO CONNECTION TO THE CENTRAL STATION'
            """)
        try photograph("5-station-lost", browser)
        kill(web.process.processIdentifier, SIGCONT)
        try browser.waitFor("the chairs again after infusion-web woke", timeout: 30, """
            document.getElementById('overlay').hidden && document.querySelector('#chair-1 [data-parameter="spo2"] .big') !== null
            """)
        #expect(try browser.problems() == [], "no script error or Content-Security-Policy report in the page")
    }

    @Test func beyondLoopbackANurseLogsInOverTLSBeforeSeeingTheChairs() throws {
        let shots = BrowserDriver.screenshotDirectory.appendingPathComponent("central-station")
        let chair = try SimulatedChair.infusing()
        let (certificate, key) = try WebStation.certificate(in: chair.scratch)
        let users = try WebStation.usersFile(in: chair.scratch, hash: try WebStation.passwordHash("correct horse battery"))
        let web = try WebStation(
            socketPath: chair.daemon.socketPath, listen: "0.0.0.0:0",
            arguments: ["--tls-certificate", certificate, "--tls-key", key, "--users", users, "--allow-host", "station.test"])
        // The browser finds station.test on this host and trusts the test's self-signed key, and nothing else.
        let browser = try BrowserDriver(chromiumArguments: [
            "--host-resolver-rules=MAP station.test 127.0.0.1",
            "--ignore-certificate-errors-spki-list=\(try WebStation.publicKeyHash(of: certificate))",
        ])
        defer { browser.quit() }
        try browser.open("https://station.test:\(web.port)/", width: Self.desk.width, height: Self.desk.height)
        #expect(try browser.evaluate("location.pathname") as? String == "/login", "sent to the login first")
        #expect(try browser.evaluate("document.getElementById('tiles') === null") as? Bool == true, "no chair before it")
        try browser.screenshot(shots.appendingPathComponent("0-login-tablet.png").path, width: Self.tablet.width, height: Self.tablet.height)

        func logIn(_ password: String) throws {
            _ = try browser.evaluate("""
                document.getElementById('user').value = 'rn.lee';
                document.getElementById('password').value = \(String(decoding: try JSONSerialization.data(withJSONObject: [password]), as: UTF8.self))[0];
                true
                """)
            try browser.click("button[type=submit]")
        }
        try logIn("wrong horse")
        try browser.waitFor("the refusal", timeout: 20, "document.getElementById('login-error') !== null")
        try browser.screenshot(shots.appendingPathComponent("0-login-refused-desk.png").path, width: Self.desk.width, height: Self.desk.height)

        try logIn("correct horse battery")
        try browser.waitFor("chair 1 after the login", timeout: 30, """
            location.pathname === '/' && document.getElementById('overlay') !== null && document.getElementById('overlay').hidden
              && document.getElementById('chair-1') !== null && document.getElementById('chair-1').dataset.state === 'infusing'
            """)
        #expect(try browser.evaluate("document.cookie") as? String == "", "the session cookie is out of the page's script's reach")
        try browser.waitFor("who is logged in", timeout: 10, """
            !document.getElementById('account').hidden && document.getElementById('account').textContent === 'rn.lee'
              && !document.getElementById('logout-button').hidden
            """)
        try browser.screenshot(shots.appendingPathComponent("6-logged-in-desk.png").path, width: Self.desk.width, height: Self.desk.height)
        try browser.click("#logout-button")
        try browser.waitFor("the login page after logging out", timeout: 20, "location.pathname === '/login' && document.getElementById('user') !== null")
        try browser.open("https://station.test:\(web.port)/", width: Self.desk.width, height: Self.desk.height)
        #expect(try browser.evaluate("location.pathname") as? String == "/login", "logged out: the page is not shown")
        #expect(try browser.problems() == [], "no script error or Content-Security-Policy report")
    }
}
