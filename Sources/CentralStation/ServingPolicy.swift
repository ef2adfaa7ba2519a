/// How infusion-web may serve on its address. On loopback only this machine can connect, so plain HTTP is
/// allowed (the clinic's reverse proxy adds TLS and its own login in front); on any other address the desk's
/// and tablets' traffic crosses the clinic's network, so infusion-web itself must encrypt it (TLS) and ask
/// who is looking (a login). A login is never offered without TLS: its password and session cookie would
/// travel in clear. Decided before anything is bound (docs/CENTRAL-STATION.md, "Security").
package enum ServingPolicy {
    package struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// What was configured: the address, whether a certificate and key were given, whether users were.
    package struct Configuration: Sendable, Equatable {
        package var address: ListenAddress
        package var certificate: Bool
        package var privateKey: Bool
        package var users: Bool

        package init(address: ListenAddress, certificate: Bool, privateKey: Bool, users: Bool) {
            self.address = address
            self.certificate = certificate
            self.privateKey = privateKey
            self.users = users
        }
    }

    /// How the server runs once allowed.
    package struct Decision: Sendable, Equatable {
        package var tls: Bool
        package var login: Bool
    }

    /// The decision for `configuration`, or why infusion-web must not start with it.
    package static func decide(_ configuration: Configuration) throws(Refusal) -> Decision {
        guard configuration.certificate == configuration.privateKey else {
            throw Refusal(description: "TLS needs both --tls-certificate and --tls-key")
        }
        let tls = configuration.certificate
        if configuration.users && !tls {
            throw Refusal(description:
                "a login (--users) needs TLS (--tls-certificate and --tls-key): passwords and session cookies must not travel in clear")
        }
        if !configuration.address.isLoopback && !(tls && configuration.users) {
            throw Refusal(description:
                "infusion-web serves \(configuration.address.host), which is not loopback, only with TLS "
                + "(--tls-certificate, --tls-key) and a login (--users); otherwise listen on 127.0.0.1 behind the "
                + "clinic's TLS reverse proxy with its login (docs/CENTRAL-STATION.md)")
        }
        return Decision(tls: tls, login: configuration.users)
    }
}
