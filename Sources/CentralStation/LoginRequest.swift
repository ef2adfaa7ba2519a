/// The pieces of HTTP a login needs: the form the login page posts, the session cookie the browser sends
/// back, and the cookie that is set.
package enum LoginRequest {
    /// The session cookie's name. The `__Host-` prefix makes browsers accept it only when it is `Secure`,
    /// for path `/` and without a domain, so no other host can plant or widen it.
    package static let cookieName = "__Host-station-session"

    /// The largest login form read; more is refused (the form has two short fields).
    package static let maximumFormBytes = 4096

    /// The fields of an `application/x-www-form-urlencoded` body (WHATWG URL, "application/x-www-form-urlencoded
    /// parsing"): `+` is a space, `%XX` a byte; a malformed escape or invalid UTF-8 makes the whole form nil.
    package static func formFields(_ body: [UInt8]) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : []) else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The session token in the request's `Cookie` headers, if any.
    package static func sessionToken(cookieHeaders: [String]) -> String? {
        for header in cookieHeaders {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingSpaces == cookieName { return String(parts[1].trimmingSpaces) }
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that starts a session: sent over TLS only (`Secure`), out of the page's script's
    /// reach (`HttpOnly`), never on a request another site starts (`SameSite=Strict`).
    package static func sessionCookie(token: String, lifetimeSeconds: Int64) -> String {
        "\(cookieName)=\(token); Path=/; Max-Age=\(lifetimeSeconds); Secure; HttpOnly; SameSite=Strict"
    }

    /// The `Set-Cookie` value that makes the browser forget the session cookie (a logout).
    package static let expiredSessionCookie = "\(cookieName)=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict"
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
