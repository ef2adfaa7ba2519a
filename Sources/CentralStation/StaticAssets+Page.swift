extension StaticAssets {
    /// The one page: a header with the sound switch, the chair tiles, and the overlay for a lost link.
    static let page = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Infusion chairs: central station</title>
        <link rel="stylesheet" href="/station.css">
        <script src="/station.js" defer></script>
        </head>
        <body>
        <header id="bar">
          <h1>Infusion chairs</h1>
          <span id="clock"></span>
          <span id="sound-state" class="sound-off">SOUND IS OFF</span>
          <button id="sound-button" type="button">Enable alarm sound</button>
          <span id="account" hidden></span>
          <button id="logout-button" type="button" hidden>Log out</button>
        </header>
        <main id="tiles"></main>
        <footer id="foot">Read-only view of infusiond. Acknowledge, pause and resume at the chair. <span id="cursor"></span></footer>
        <div id="overlay" data-reason="starting">
          <div class="overlay-box">
            <h2 id="overlay-title">CONNECTING</h2>
            <p id="overlay-text">Connecting to the central station. Nothing shown here is current yet.</p>
          </div>
        </div>
        <noscript><p class="noscript">This page needs JavaScript to show the chairs.</p></noscript>
        </body>
        </html>
        """#
}
