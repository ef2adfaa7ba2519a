/// The page and its style and script, compiled into the binary: nothing to install beside it and nothing
/// fetched from elsewhere (clinic networks are closed).
package enum StaticAssets {
    package struct Asset: Sendable {
        package var contentType: String
        package var body: String
    }

    /// The assets by request path.
    package static let byPath: [String: Asset] = [
        "/": Asset(contentType: "text/html; charset=utf-8", body: page),
        "/index.html": Asset(contentType: "text/html; charset=utf-8", body: page),
        "/station.css": Asset(contentType: "text/css; charset=utf-8", body: style),
        "/station.js": Asset(contentType: "text/javascript; charset=utf-8", body: script),
    ]

    /// The policy every response carries: this origin's script, style and event stream only; no inline
    /// script or style, no frames, no forms, no plug-ins.
    package static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// Headers on every response, besides the content type.
    package static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ]
}
