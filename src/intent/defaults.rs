//! The default taxonomy and the small vocabularies negation reads: data,
//! not code. Phrases are written as people write them; matching folds case,
//! accents and separators, also finds a phrase written as one word (`SOC2`
//! for `SOC 2`, `selfhosted` for `self-hosted`) and a plural last word.
//! A phrase ending in ` *` must be followed by a name (not a version, not
//! "the old ..."). `not` phrases cancel a topic phrase they overlap.

/// A default topic.
pub struct DefaultTopic {
    pub id: &'static str,
    /// How messages name it: "SSO", "commercial".
    pub label: &'static str,
    pub phrases: &'static [&'static str],
    pub not: &'static [&'static str],
}

#[rustfmt::skip]
pub const TOPICS: &[DefaultTopic] = &[
    DefaultTopic {
        id: "sso",
        label: "SSO",
        phrases: &[
            "SSO", "single sign-on", "single sign on", "SAML", "SAML2", "SAML 2.0",
            "OIDC", "OpenID Connect", "OpenID", "Okta", "Entra ID", "Microsoft Entra", "Azure AD",
            "Azure Active Directory", "Active Directory", "LDAP", "LDAPS", "SCIM", "ADFS", "AD FS",
            "Keycloak", "OneLogin", "Ping Identity", "PingFederate", "Auth0", "JumpCloud",
            "Shibboleth", "identity provider", "IdP", "Kerberos", "authentification unique",
            "Einmalanmeldung", "inicio de sesión único", "単一サインオン", "シングルサインオン", "单点登录", "統合認証",
        ],
        not: &[],
    },
    DefaultTopic {
        id: "access",
        label: "access control",
        phrases: &[
            "RBAC", "role-based access control", "role based access", "ABAC",
            "roles and permissions", "permissions and roles", "user roles", "custom roles",
            "fine-grained permissions", "granular permissions", "fine-grained access",
            "permission model", "permissions model", "access control", "access control list",
            "multi-tenancy", "multi-tenant", "tenant isolation", "least privilege",
            "read-only role", "viewer role", "admin role", "per-team permissions", "user permissions", "access rights", "access level",
            "read-only access", "read-only user", "view-only", "role-based", "access review",
            "user access review",
            "gestion des droits", "Rechteverwaltung", "Berechtigungskonzept", "权限管理", "多租户", "権限管理",
        ],
        not: &[
            "access-control-allow", "access-control-expose", "access-control-request",
            "access-control-max",
        ],
    },
    DefaultTopic {
        id: "audit",
        label: "audit log",
        phrases: &[
            "audit log", "audit logs", "audit logging", "audit trail", "audit event",
            "audit history", "audit record", "activity log", "user activity", "journal d'audit", "Audit-Log", "Revisionssicherheit",
            "registro de auditoría", "审计日志", "監査ログ",
        ],
        not: &[],
    },
    DefaultTopic {
        id: "compliance",
        label: "compliance",
        phrases: &[
            "SOC 2", "SOC 2 Type II", "SOC2 Type 2", "ISO 27001", "ISO/IEC 27001", "ISO 27017",
            "ISO 27018", "HIPAA", "FedRAMP", "StateRAMP", "GDPR", "DSGVO", "RGPD", "CCPA",
            "PCI DSS", "PCI compliance", "FIPS", "FIPS 140-2", "FIPS 140-3", "NIST 800-53",
            "CIS benchmark", "data residency", "compliance requirements", "regulated industry",
            "regulatory requirements", "data processing agreement",
            "compliance reasons", "compliance purposes", "等保",
        ],
        not: &[],
    },
    DefaultTopic {
        id: "deployment",
        label: "deployment",
        phrases: &[
            "on-prem", "on-premise", "on-premises", "self-hosted", "self-host", "self-hosting",
            "air-gapped", "air gap", "airgap", "offline install", "offline installation",
            "offline environment", "offline mode", "disconnected environment",
            "no internet access", "without internet access", "no outbound internet",
            "isolated network", "Helm chart", "Helm", "Kubernetes", "k8s", "OpenShift",
            "EKS", "AKS", "GKE", "Rancher", "private cloud", "corporate proxy", "auto-hébergé",
            "hors ligne", "sur site", "selbst gehostet", "Offline-Installation", "auto-alojado",
            "ohne Internetzugang", "ohne Internetverbindung", "abgeschottetes Netz",
            "abgeschotteten Netz", "abgeschottetes Netzwerk", "abgeschotteten Netzwerk",
            "sans accès internet", "sans accès à internet", "sans connexion internet",
            "sin acceso a internet", "sin conexión a internet", "sem acesso à internet",
            "host it ourselves", "host ourselves", "私有化部署", "离线安装", "オンプレミス", "オフライン環境",
        ],
        not: &[],
    },
    DefaultTopic {
        id: "scale",
        label: "scale",
        phrases: &[
            "high availability", "highly available", "HA mode", "HA setup", "HA deployment",
            "HA cluster", "clustering", "cluster mode", "clustered mode", "clustered setup",
            "active-active", "active-passive", "failover", "fail over", "horizontal scaling",
            "horizontally scalable", "scale horizontally", "scale out", "autoscaling", "autoscale",
            "auto-scaling", "horizontal pod autoscaler", "multi-region",
            "disaster recovery", "zero downtime", "Hochverfügbarkeit", "haute disponibilité",
            "alta disponibilidad", "alta disponibilidade", "高可用", "冗長構成",
        ],
        not: &[
            "k-means clustering", "kmeans clustering", "hierarchical clustering",
            "clustering algorithm", "spectral clustering", "marker clustering",
            "document clustering", "text clustering",
        ],
    },
    DefaultTopic {
        id: "security",
        label: "security",
        phrases: &[
            "CVE", "vulnerability", "vulnerabilities", "vulnerable", "security advisory",
            "security advisories", "GHSA", "CVSS", "pen test", "pentest", "penetration test",
            "penetration testing", "security audit", "security scan", "security scanner",
            "security issue", "security vulnerability", "security patch", "security fix", "XSS",
            "cross-site scripting", "CSRF", "SQL injection", "RCE", "remote code execution",
            "privilege escalation", "SSRF", "Snyk", "Trivy", "npm audit", "yarn audit",
            "pnpm audit", "cargo audit", "pip-audit", "security requirements",
            "security policy", "security review", "security concern", "security contact",
            "password policy", "password complexity", "brute force", "user enumeration", "Sicherheitslücke", "vulnérabilité",
            "faille de sécurité", "vulnerabilidad", "漏洞", "脆弱性",
        ],
        not: &[],
    },
    DefaultTopic {
        id: "commercial",
        label: "commercial",
        phrases: &[
            "pricing", "price list", "license terms", "licence terms", "licensing terms",
            "licensing", "licencing", "commercial license", "commercial licence",
            "enterprise license", "enterprise licence", "license cost", "license fee",
            "license key", "enterprise edition", "enterprise version", "enterprise plan",
            "enterprise tier", "enterprise support", "paid support", "commercial support",
            "support contract", "support agreement", "support plan", "SLA",
            "service level agreement", "commercial use", "use it commercially",
            "use this commercially", "procurement", "purchase order", "paid plan", "paid version",
            "paid tier", "reseller", "EE edition", "EE version", "EE license", "EE licence",
            "trial license", "trial licence", "trial key", "BAA", "business associate agreement", "tarifs", "licence commerciale", "Preise", "Lizenzbedingungen",
            "kommerzielle Nutzung", "precios", "precio", "licencia comercial", "licencia empresarial",
            "versión empresarial", "edición empresarial", "uso comercial", "preços", "preço",
            "licença comercial", "versão empresarial",
            "商业授权", "商用", "価格",
        ],
        not: &[
            "licensing header", "licensing headers", "licensing info", "pricing engine",
        ],
    },
    DefaultTopic {
        id: "integration",
        label: "integration",
        phrases: &[
            "ServiceNow", "Jira", "Salesforce", "SAP", "Splunk", "Datadog", "PagerDuty", "Opsgenie",
            "Microsoft Teams", "MS Teams", "Confluence", "Dynamics 365", "Zendesk", "New Relic",
            "Workday",
        ],
        not: &[
            "jira ticket", "jira issue", "jira id", "jira link", "jira ref", "internal jira",
        ],
    },
    DefaultTopic {
        id: "migration",
        label: "migration",
        phrases: &[
            "migrating from *", "migrate from *", "migration from *", "migrated from *",
            "switching from *", "moving from *", "coming from *", "alternative to *",
            "replacement for *", "drop-in replacement", "migrer depuis *", "migración desde *",
            "umstieg von *", "迁移自",
        ],
        not: &[],
    },
];

/// Negate a phrase a few words after them: "no SSO", "without a Helm chart".
#[rustfmt::skip]
pub const NEGATING_DETERMINERS: &[&str] = &[
    "no", "without", "non", "nor", "neither", "unrelated", "kein", "keine", "keinen", "keiner",
    "ohne", "sans", "sin", "sem", "没", "无",
];

/// Negate a phrase when a word of wanting follows them ("don't need",
/// "not looking for") or only filler stands between ("not an SSO issue").
#[rustfmt::skip]
pub const NEGATING_VERBS: &[&str] = &[
    "not", "dont", "doesnt", "didnt", "wont", "isnt", "arent", "wasnt", "never", "cant", "cannot",
    "shouldnt", "wouldnt", "nicht", "pas", "nao", "不",
];

/// Words of wanting, needing or concern that a negation turns around.
#[rustfmt::skip]
pub const WANTING: &[&str] = &[
    "need", "needs", "needed", "want", "wants", "wanted", "require", "requires", "required",
    "requirement", "use", "using", "used", "care", "interested", "interest", "looking", "plan",
    "plans", "planning", "ask", "asking", "request", "requesting", "about", "related", "involve",
    "involves", "mean", "besoin", "brauchen", "benotigen", "nutzen", "necesitamos", "necesito",
    "necesita", "precisamos", "interesa", "necessary", "important", "priority", "concern", "需", "要",
    "必要",
];

/// Words that may stand between a negation and what it negates.
#[rustfmt::skip]
pub const FILLER: &[&str] = &[
    "a", "an", "the", "any", "our", "your", "its", "this", "that", "really", "even", "yet",
    "actually", "currently", "de", "d", "le", "la", "un", "une", "des", "einen", "eine", "el",
    "los", "las",
];

/// Words that end a negation's reach: "we don't need SSO but audit logs".
#[rustfmt::skip]
pub const CONTRAST: &[&str] = &[
    "but", "however", "though", "although", "except", "instead", "only", "just", "whereas", "mais",
    "aber", "sondern", "pero", "sino", "mas", "但", "because", "since", "weil", "parce",
    "porque",
];

/// Words that continue a list: a negation reaches "SSO, LDAP or SCIM".
#[rustfmt::skip]
pub const LIST_GLUE: &[&str] = &["or", "and", "nor", "ou", "oder", "und", "et", "y", "o"];

/// Words that make a negation a request: "no SAML support", "no way to use
/// LDAP", "not possible to configure SSO".
#[rustfmt::skip]
pub const LACKING: &[&str] = &[
    "support", "supported", "supports", "option", "options", "way", "possible", "possibility",
    "able", "integration", "documentation", "docs", "guide", "example", "examples", "builtin",
    "native", "out",
];

/// What follows `migrating from *` that is no product: versions and "the old ...".
#[rustfmt::skip]
pub const NOT_A_NAME: &[&str] = &[
    "the", "a", "an", "our", "my", "your", "this", "that", "it", "its", "older", "old", "previous",
    "legacy", "deprecated", "version", "versions", "release", "master", "main", "branch", "scratch",
    "source", "there", "here", "one", "to", "v", "le", "la", "der", "die", "das", "el",
];
