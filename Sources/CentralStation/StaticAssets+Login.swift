extension StaticAssets {
    /// The login page infusion-web shows beyond loopback (`ServingPolicy`); `failed` adds the refusal. No
    /// script: the browser posts the form to `/login`, which sets the session cookie and sends it to `/`.
    package static func loginPage(failed: Bool) -> String {
        let refusal = failed ? #"<p class="login-error" id="login-error">Wrong user name or password.</p>"# + "\n" : ""
        return #"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Infusion chairs: log in</title>
            <link rel="stylesheet" href="/station.css">
            </head>
            <body class="login">
            <form class="login-box" method="post" action="/login">
            <h1>Infusion chairs: central station</h1>
            """# + refusal + #"""
            <label for="user">User</label>
            <input id="user" name="user" autocomplete="username" required autofocus>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Log in</button>
            <p class="login-note">Read-only view of infusiond. Acknowledge, pause and resume at the chair.</p>
            </form>
            </body>
            </html>
            """#
    }

    /// The login page's policy: the main policy, with the one form allowed to post to this origin.
    package static let loginContentSecurityPolicy = contentSecurityPolicy.replacingFormAction(with: "'self'")
}

extension String {
    fileprivate func replacingFormAction(with source: String) -> String {
        split(separator: ";").map { directive in
            directive.trimmingPrefix(" ").hasPrefix("form-action") ? " form-action \(source)" : String(directive)
        }.joined(separator: ";").trimmingPrefixSpace
    }

    private var trimmingPrefixSpace: String { hasPrefix(" ") ? String(dropFirst()) : self }
}
