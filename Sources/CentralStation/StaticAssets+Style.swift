extension StaticAssets {
    /// Large type on a dark ground; alarm colours red, yellow and cyan by priority (docs/CENTRAL-STATION.md).
    static let style = #"""
        :root { color-scheme: dark; --bg: #0b0f14; --tile: #16202b; --text: #f2f5f8; --dim: #93a1b0;
          --high: #e0161b; --medium: #f5c400; --low: #19c6d8; --ok: #36c46b; }
        * { box-sizing: border-box; }
        html, body { margin: 0; background: var(--bg); color: var(--text);
          font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        #bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.5rem 1rem; background: #111922; }
        #bar h1 { font-size: 1.6rem; margin: 0; flex: 1; }
        #clock { font-size: 1.6rem; font-variant-numeric: tabular-nums; }
        #sound-button { font-size: 1.3rem; padding: 0.4rem 1rem; border-radius: 0.4rem; border: 2px solid var(--medium);
          background: #2a2300; color: var(--text); cursor: pointer; }
        #sound-button[hidden], #account[hidden], #logout-button[hidden] { display: none; }
        #account { font-size: 1.1rem; color: var(--dim); }
        #logout-button { font-size: 1.1rem; padding: 0.3rem 0.8rem; border-radius: 0.4rem; border: 1px solid var(--dim);
          background: transparent; color: var(--text); cursor: pointer; }
        .sound-off { font-size: 1.3rem; font-weight: bold; color: #000; background: var(--medium); padding: 0.3rem 0.8rem; }
        .sound-on { font-size: 1.3rem; color: var(--ok); }
        #tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 1rem; padding: 1rem; }
        #foot { color: var(--dim); padding: 0 1rem 1rem; font-size: 1rem; }
        .empty { font-size: 2rem; color: var(--dim); padding: 2rem; }
        .tile { background: var(--tile); border: 0.5rem solid #26323f; border-radius: 0.8rem; padding: 0.8rem 1rem; }
        .tile.alarm-low { border-color: var(--low); }
        .tile.alarm-medium { border-color: var(--medium); }
        .tile.alarm-high { border-color: var(--high); }
        .flash-medium-on .tile.alarm-medium { background: #3d3200; }
        .flash-high-on .tile.alarm-high { background: #5a0709; }
        .head { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
        .chair { font-size: 2.6rem; font-weight: bold; }
        .state { font-size: 1.8rem; font-weight: bold; text-transform: uppercase; letter-spacing: 0.05em; }
        .state.infusing { color: var(--ok); }
        .state.paused { color: var(--medium); }
        .links { margin-left: auto; font-size: 1.1rem; color: var(--dim); }
        .link-down { color: #000; background: var(--high); padding: 0 0.4rem; font-weight: bold; }
        .drug { font-size: 1.3rem; color: var(--dim); margin: 0.2rem 0 0.5rem; }
        .row { display: flex; align-items: baseline; gap: 0.8rem; flex-wrap: wrap; margin: 0.25rem 0; }
        .label { font-size: 1.2rem; color: var(--dim); flex: 0 0 8.6rem; }
        .row.vital { flex-wrap: nowrap; }
        .big { font-size: 2.4rem; font-weight: bold; font-variant-numeric: tabular-nums; }
        .big.second { font-size: 1.8rem; margin-left: 0.6rem; }
        .unit { font-size: 1.2rem; color: var(--dim); }
        .age { font-size: 1.1rem; color: var(--dim); }
        .uncertain { font-size: 1.8rem; font-weight: bold; color: #000; background: var(--medium); padding: 0 0.5rem; }
        .stale-mark { font-size: 1.6rem; font-weight: bold; color: #000; background: #c9c9c9; padding: 0 0.5rem;
          border: 3px dashed #000; }
        .stale-last { font-size: 1.1rem; color: var(--dim); text-decoration: line-through; }
        .absent { font-size: 1.6rem; color: var(--dim); }
        .alarms { list-style: none; margin: 0.4rem 0; padding: 0; }
        .alarm { font-size: 1.6rem; font-weight: bold; padding: 0.2rem 0.6rem; margin: 0.2rem 0; border-radius: 0.3rem; }
        .alarm.low { background: var(--low); color: #000; }
        .alarm.medium { background: #3d3200; color: var(--medium); border: 3px solid var(--medium); }
        .alarm.high { background: #3a0506; color: #fff; border: 3px solid var(--high); }
        .flash-medium-on .alarm.medium:not(.quiet) { background: var(--medium); color: #000; }
        .flash-high-on .alarm.high:not(.quiet) { background: var(--high); color: #fff; }
        .alarm .inactivation { font-size: 1.1rem; font-weight: normal; margin-left: 0.6rem; }
        /* A 15-minute window, right-aligned in its row; framed so a short history still reads as a chart. */
        .trend { margin-left: auto; flex: 0 1 10rem; min-width: 5rem; height: 2.4rem; align-self: center;
          background: #0f1720; border: 1px solid #2b3947; border-radius: 0.2rem; }
        .trend polyline { fill: none; stroke: #7fb2e5; stroke-width: 2; vector-effect: non-scaling-stroke; }
        .observations { font-size: 1.2rem; margin-top: 0.4rem; }
        .due { color: #000; background: var(--low); padding: 0 0.4rem; font-weight: bold; }
        .notice { font-size: 1.3rem; color: #000; background: var(--medium); padding: 0.2rem 0.5rem; margin: 0.3rem 0; }
        #overlay { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center;
          background: rgba(20, 0, 0, 0.88); z-index: 10; }
        #overlay[hidden] { display: none; }
        #overlay[data-reason="starting"] { background: rgba(5, 10, 20, 0.92); }
        .overlay-box { max-width: 60rem; text-align: center; border: 0.6rem solid var(--high); padding: 2rem 3rem;
          background: #1a0000; border-radius: 1rem; }
        #overlay[data-reason="starting"] .overlay-box { border-color: var(--dim); background: #0b0f14; }
        #overlay h2 { font-size: 3.2rem; margin: 0 0 1rem; }
        #overlay p { font-size: 1.8rem; margin: 0; }
        .flash-high-on #overlay:not([data-reason="starting"]) .overlay-box { background: var(--high); }
        .noscript { font-size: 2rem; padding: 2rem; }
        /* A tablet: one chair per row, so each reading, its age and its trend stay on one line. */
        @media (max-width: 1100px) {
          #tiles { grid-template-columns: 1fr; gap: 0.6rem; padding: 0.6rem; }
        }
        .big, .unit, .age { white-space: nowrap; }
        .login { display: flex; align-items: center; justify-content: center; min-height: 100vh; }
        .login-box { display: flex; flex-direction: column; gap: 0.6rem; width: min(32rem, 92vw); background: var(--tile);
          padding: 2rem; border-radius: 0.8rem; font-size: 1.4rem; }
        .login-box h1 { font-size: 1.8rem; margin: 0 0 0.8rem; }
        .login-box input { font-size: 1.4rem; padding: 0.4rem 0.6rem; }
        .login-box button { font-size: 1.4rem; padding: 0.5rem; margin-top: 0.8rem; }
        .login-error { color: #000; background: var(--medium); padding: 0.3rem 0.6rem; font-weight: bold; margin: 0; }
        .login-note { font-size: 1rem; color: var(--dim); margin: 0.8rem 0 0; }
        """#
}
