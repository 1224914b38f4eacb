//! Web-identity (OIDC) providers: which condition keys AWS STS puts in an
//! `sts:AssumeRoleWithWebIdentity` request of each provider, and which of them bound the
//! caller. One table ([`PROVIDERS`]) serves `verify`, `lint` (GL072, GL105) and `check`.
//!
//! Sources: IAM User Guide, "Available keys for AWS web identity federation",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>:
//! keys are the provider's name followed by the claim (`:aud`, `:azp`, `:amr`, `:sub`);
//! `aud` "verif[ies] that the Google client ID or Amazon Cognito identity pool ID matches";
//! "The `graph.facebook.com:app_id` field supplies the audience context that matches the aud
//! field used by other identity providers"; `graph.facebook.com:id`, `www.amazon.com:app_id`
//! and `www.amazon.com:user_id` verify "that the application (or site) ID or user ID matches";
//! `accounts.google.com:oaud` is the Google audience (`aud`) the ID token is intended for;
//! `sub` (`accounts.google.com:sub`, `cognito-identity.amazonaws.com:sub`) is the user.
//! The IAM guide's trust policies for these providers pin exactly those keys
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>:
//! `www.amazon.com:app_id`, `graph.facebook.com:app_id`, `accounts.google.com:aud`,
//! `cognito-identity.amazonaws.com:aud`), and "Identify users with OIDC federation"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_user-id.html>)
//! names each provider's user key: `cognito-identity.amazonaws.com:sub`,
//! `www.amazon.com:user_id`, `graph.facebook.com:id`, `accounts.google.com:sub`.
//!
//! Login with Amazon and Facebook hand out OAuth access tokens, not OIDC ID tokens: AWS
//! documents only `app_id` and `id`/`user_id` for them, so any other key of theirs
//! (`graph.facebook.com:aud`, `www.amazon.com:sub`) is absent from every request
//! ([`Claim::NotSent`]): `...IfExists`, `ForAllValues:` and negated operators on it are true
//! for anyone who signs in, and a positive operator on it never matches. The OIDC providers
//! (Google, Cognito, an IAM OIDC provider) send claims the documentation does not enumerate,
//! so their other keys may be present or not ([`Claim::Unknown`]): no value is assumed.

use super::verify::shared_ci_provider;

/// What one key of a web-identity provider holds in that provider's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Claim {
    /// The application, client or identity pool the token was issued to (`aud`, Facebook's
    /// and Login with Amazon's `app_id`, Google's `oaud`): always present; an outsider's is
    /// its own app's, so fixed values bound the caller.
    Audience,
    /// The user (`sub`, Facebook's `id`, Login with Amazon's `user_id`): always present; an
    /// outsider's is its own.
    Subject,
    /// Never sent by this provider: absent from every one of its requests.
    NotSent,
    /// Neither documented as sent nor as absent (an OIDC provider's other claims, Cognito's
    /// `amr`, a shared CI provider's `aud` that each tenant chooses): any value, or none.
    Unknown,
}

/// A web-identity provider named in `Federated` without an ARN (IAM JSON policy elements:
/// `Principal`, web identity session principals,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity>).
struct Provider {
    /// The `Federated` value, also the keys' prefix.
    host: &'static str,
    /// Keys naming the app, client or identity pool ([`Claim::Audience`]).
    audience: &'static [&'static str],
    /// Keys naming the user ([`Claim::Subject`]).
    subject: &'static [&'static str],
    /// The documented keys are all AWS sends for this provider: every other one of its keys
    /// is [`Claim::NotSent`] (else [`Claim::Unknown`]).
    closed: bool,
}

/// The public sign-in providers and the keys AWS sends for each (module docs for sources).
const PROVIDERS: &[Provider] = &[
    // Login with Facebook: `app_id` is the audience, `id` the user.
    Provider {
        host: "graph.facebook.com",
        audience: &["app_id"],
        subject: &["id"],
        closed: true,
    },
    // Login with Amazon: `app_id` is the audience, `user_id` the user.
    Provider {
        host: "www.amazon.com",
        audience: &["app_id"],
        subject: &["user_id"],
        closed: true,
    },
    // Google: `aud` (the `azp` field when set, else `aud`) and `oaud` (the token's `aud`)
    // name your OAuth client, `sub` the user.
    Provider {
        host: "accounts.google.com",
        audience: &["aud", "oaud"],
        subject: &["sub"],
        closed: false,
    },
    // Amazon Cognito identity pools: `aud` is the pool ID, `sub` the identity ID; `amr`
    // (`authenticated`/`unauthenticated` and the login provider) is multi-valued and decided
    // by the analysis' guest caller.
    Provider {
        host: "cognito-identity.amazonaws.com",
        audience: &["aud"],
        subject: &["sub"],
        closed: false,
    },
];

/// Web-identity providers anyone can sign in to, named without an ARN.
pub(crate) fn sign_in_provider(name: &str) -> bool {
    PROVIDERS.iter().any(|p| p.host == name)
}

/// What the key `<host>:field` (`field` in any case) holds in a request of the federated
/// principal `principal` (a provider name such as `graph.facebook.com`, or an OIDC provider
/// ARN), whose keys' prefix is `host`. An IAM OIDC provider (EKS, GitHub, any issuer) always
/// sends `aud` and `sub` (IAM, "Available keys for AWS web identity federation", the EKS
/// example: `oidc.eks.<region>.amazonaws.com/id/<id>:aud` and `:sub`); on a shared CI provider
/// every tenant chooses its tokens' `aud` (IAM, "Identity-provider controls for shared OIDC
/// providers",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_secure-by-default.html>),
/// so only `sub` names the tenant.
pub(crate) fn claim(principal: &str, field: &str) -> Claim {
    let field = field.to_ascii_lowercase();
    let f = field.as_str();
    if let Some(p) = PROVIDERS.iter().find(|p| p.host == principal) {
        return if p.audience.contains(&f) {
            Claim::Audience
        } else if p.subject.contains(&f) {
            Claim::Subject
        } else if p.closed {
            Claim::NotSent
        } else {
            Claim::Unknown
        };
    }
    let Some(host) = super::verify::web_identity_host(principal) else {
        return Claim::Unknown;
    };
    match f {
        "sub" => Claim::Subject,
        "aud" if !shared_ci_provider(&host) => Claim::Audience,
        _ => Claim::Unknown,
    }
}

/// The fields of `principal`'s keys that are always present and name its app or user
/// ([`Claim::Audience`], [`Claim::Subject`]), lower case.
pub(crate) fn bounding_fields(principal: &str) -> Vec<&'static str> {
    if let Some(p) = PROVIDERS.iter().find(|p| p.host == principal) {
        return p.audience.iter().chain(p.subject).copied().collect();
    }
    match super::verify::web_identity_host(principal) {
        Some(h) if shared_ci_provider(&h) => vec!["sub"],
        Some(_) => vec!["aud", "sub"],
        None => Vec::new(),
    }
}

/// The keys naming the app, client or identity pool of the provider whose keys' prefix is
/// `host` (`graph.facebook.com:app_id`; `<host>:aud` for an OIDC provider), for messages.
pub(crate) fn audience_keys(host: &str) -> Vec<String> {
    let fields: &[&str] = PROVIDERS
        .iter()
        .find(|p| p.host == host)
        .map_or(&["aud"], |p| p.audience);
    fields.iter().map(|f| format!("{host}:{f}")).collect()
}

/// Whether the condition key `key` (any case) of a public sign-in provider is single-valued:
/// every key of [`PROVIDERS`] but Cognito's `amr`, which the IAM guide calls multivalued
/// ("you test it in a policy using condition set operators"). `false` for other keys.
pub(crate) fn single_valued_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let Some((host, field)) = key.rsplit_once(':') else {
        return false;
    };
    let Some(p) = PROVIDERS.iter().find(|p| p.host == host) else {
        return false;
    };
    !(host == "cognito-identity.amazonaws.com" && field == "amr")
        && (p.closed || p.audience.contains(&field) || p.subject.contains(&field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_sends_its_documented_keys() {
        assert_eq!(claim("graph.facebook.com", "app_id"), Claim::Audience);
        assert_eq!(claim("graph.facebook.com", "ID"), Claim::Subject);
        assert_eq!(claim("graph.facebook.com", "aud"), Claim::NotSent);
        assert_eq!(claim("www.amazon.com", "app_id"), Claim::Audience);
        assert_eq!(claim("www.amazon.com", "user_id"), Claim::Subject);
        assert_eq!(claim("www.amazon.com", "sub"), Claim::NotSent);
        assert_eq!(claim("accounts.google.com", "oaud"), Claim::Audience);
        assert_eq!(claim("accounts.google.com", "email"), Claim::Unknown);
        assert_eq!(
            claim("cognito-identity.amazonaws.com", "amr"),
            Claim::Unknown
        );
        let eks =
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";
        assert_eq!(claim(eks, "aud"), Claim::Audience);
        assert_eq!(claim(eks, "sub"), Claim::Subject);
        assert_eq!(claim(eks, "amr"), Claim::Unknown);
        let gh = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
        assert_eq!(claim(gh, "aud"), Claim::Unknown);
        assert_eq!(claim(gh, "sub"), Claim::Subject);
        assert_eq!(bounding_fields(gh), ["sub"]);
        assert_eq!(bounding_fields("www.amazon.com"), ["app_id", "user_id"]);
        assert!(single_valued_key("www.amazon.com:aud"));
        assert!(single_valued_key("accounts.google.com:aud"));
        assert!(!single_valued_key("accounts.google.com:email"));
        assert!(!single_valued_key("cognito-identity.amazonaws.com:amr"));
    }
}
