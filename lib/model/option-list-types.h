/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The keys of .image, .build, .kube and .artifact files that no other kind of file has: more rows
 * of option-list.h, in its format, included at its end. No include guard: an X-macro list. */

/* ---- [Image]: a pull ---- */
OCI_OPTION(PULL_IMAGE, "Image", OCI_IN(IMAGE), OCI_TYPE_IMAGE, 0, NULL, NULL,
           RF(oci_key_pull_image, NULL), RF(oci_key_pull_image, NULL), NO,
           "The image to pull, as the engine's pull takes it (a registry's image, or docker-archive:PATH, oci-archive:PATH...).",
           .one_of = 2, .example = "docker.io/library/nginx:latest")
OCI_OPTION(IMAGE_TAG, "ImageTag", OCI_IN(IMAGE), OCI_TYPE_NAME, 0, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), NO,
           "The name the pulled image has, where Image= does not say it (an archive): what Image=NAME.image elsewhere gets. Default: Image=.")
OCI_OPTION(ALL_TAGS, "AllTags", OCI_IN(IMAGE), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--all-tags"), BOTH, NO,
           "Pull every tag of the repository.")
OCI_OPTION(ARCH, "Arch", OCI_IN(IMAGE) | OCI_IN(BUILD), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--arch"), RF(oci_docker_key_platform, "--platform"), NO,
           "The architecture to pull or build for, instead of the host's (for example arm64); docker takes it as --platform=OS/ARCH[/VARIANT].")
OCI_OPTION(OS, "OS", OCI_IN(IMAGE), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--os"), RF(oci_docker_key_platform, "--platform"), NO,
           "The operating system to pull for, instead of the host's; with docker, it needs Arch=.")
OCI_OPTION(VARIANT, "Variant", OCI_IN(IMAGE) | OCI_IN(BUILD), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--variant"), RF(oci_docker_key_platform, "--platform"), NO,
           "The variant of the architecture, for example v7 of arm; with docker, it needs Arch=.")
OCI_OPTION(AUTH_FILE, "AuthFile", OCI_IN(IMAGE) | OCI_IN(BUILD) | OCI_IN(ARTIFACT), OCI_TYPE_PATH, 0, NULL, NULL,
           R(FLAG_VALUE, "--authfile"), NO, NO,
           "The registry credentials file podman reads (default: its own, or $REGISTRY_AUTH_FILE).")
OCI_OPTION(CERT_DIR, "CertDir", OCI_IN(IMAGE) | OCI_IN(ARTIFACT), OCI_TYPE_PATH, 0, NULL, NULL,
           R(FLAG_VALUE, "--cert-dir"), NO, NO,
           "A directory of certificates (*.crt, *.cert, *.key) for the registry.")
OCI_OPTION(CREDS, "Creds", OCI_IN(IMAGE) | OCI_IN(ARTIFACT), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--creds"), NO, NO,
           "USERNAME[:PASSWORD] for the registry; they stand in the unit, which every user can read: AuthFile= keeps a password out of it.")
OCI_OPTION(DECRYPTION_KEY, "DecryptionKey", OCI_IN(IMAGE) | OCI_IN(ARTIFACT), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--decryption-key"), NO, NO,
           "KEY[:PASSPHRASE]: the key that decrypts an encrypted image.",
           .podman = PODMAN_AFTER(4, 3))
OCI_OPTION(POLICY, "Policy", OCI_IN(IMAGE), OCI_TYPE_CHOICE, 0, NULL, CHOICES("always", "missing", "never", "newer"),
           R(FLAG_VALUE, "--policy"), NO, NO,
           "When to pull: always (podman's default), missing, never or newer.",
           .podman = PODMAN_AFTER(4, 3))
OCI_OPTION(TLS_VERIFY, "TLSVerify", OCI_IN(IMAGE) | OCI_IN(BUILD) | OCI_IN(ARTIFACT), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--tls-verify"), NO, NO,
           "Whether the registry must use HTTPS with a valid certificate (podman's default: yes).")

/* ---- [Build]: a build ---- */
OCI_OPTION(BUILD_IMAGE_TAG, "ImageTag", OCI_IN(BUILD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--tag"), BOTH, NO,
           "A name the built image gets. The first is what Image=NAME.build elsewhere gets.",
           .one_of = 3, .example = "localhost/app")
OCI_OPTION(FILE, "File", OCI_IN(BUILD), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--file"), BOTH, NO,
           "The Containerfile: a path (a relative one is taken from the build's context, so it needs SetWorkingDirectory=) or an http(s) URL.")
OCI_OPTION(SET_WORKING_DIRECTORY, "SetWorkingDirectory", OCI_IN(BUILD), OCI_TYPE_STRING, 0, NULL, NULL,
           RF(oci_key_build_context, NULL), RF(oci_key_build_context, NULL), NO,
           "The build's context: unit (the definition's directory), file (File='s directory), a directory (relative to the definition's), "
           "or a URL (a git repository, an archive). unit and file, and a relative directory, also set the service's WorkingDirectory=, "
           "unless [Service] does.")
OCI_OPTION(BUILD_ARG, "BuildArg", OCI_IN(BUILD), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--build-arg"), BOTH, NO,
           "Build arguments (ARG in the Containerfile), as KEY=VALUE words.",
           .read = READ(KEYVAL))
OCI_OPTION(BUILD_ANNOTATION, "Annotation", OCI_IN(BUILD), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--annotation"), NO, NO,
           "Annotations of the built image, as KEY=VALUE words.",
           .read = READ(KEYVAL))
OCI_OPTION(BUILD_LABEL, "Label", OCI_IN(BUILD), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--label"), BOTH, NO,
           "Labels of the built image, as KEY=VALUE words.",
           .read = READ(KEYVAL))
OCI_OPTION(BUILD_ENVIRONMENT, "Environment", OCI_IN(BUILD), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--env"), NO, NO,
           "Environment variables the built image sets, as KEY=VALUE words quoted as in systemd's Environment=.",
           .read = READ(KEYVAL))
OCI_OPTION(BUILD_DNS, "DNS", OCI_IN(BUILD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--dns"), NO, NO,
           "A DNS server for the build's RUN instructions, or none.")
OCI_OPTION(BUILD_DNS_OPTION, "DNSOption", OCI_IN(BUILD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--dns-option"), NO, NO,
           "A resolver option for the build's RUN instructions.")
OCI_OPTION(BUILD_DNS_SEARCH, "DNSSearch", OCI_IN(BUILD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--dns-search"), NO, NO,
           "A DNS search domain for the build's RUN instructions.")
OCI_OPTION(BUILD_GROUP_ADD, "GroupAdd", OCI_IN(BUILD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--group-add"), NO, NO,
           "An additional group of the build's RUN instructions, or keep-groups.")
OCI_OPTION(FORCE_RM, "ForceRM", OCI_IN(BUILD), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--force-rm"), BOTH, NO,
           "Remove the intermediate containers even when the build fails (podman's default: yes).")
OCI_OPTION(IGNORE_FILE, "IgnoreFile", OCI_IN(BUILD), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--ignorefile"), NO, NO,
           "Another .containerignore file; a relative path is taken from the build's context.")
OCI_OPTION(BUILD_PULL, "Pull", OCI_IN(BUILD), OCI_TYPE_CHOICE, 0, NULL, CHOICES("always", "missing", "never", "newer"),
           R(FLAG_VALUE, "--pull"), RF(oci_docker_key_build_pull, "--pull"), NO,
           "When to pull the base images: always, missing, never or newer; docker takes always (--pull) and missing (its default).")
OCI_OPTION(BUILD_RETRY, "Retry", OCI_IN(BUILD), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--retry"), NO, NO,
           "How often a failed pull of a base image is tried again.")
OCI_OPTION(BUILD_RETRY_DELAY, "RetryDelay", OCI_IN(BUILD), OCI_TYPE_DURATION, 0, NULL, NULL,
           R(FLAG_VALUE, "--retry-delay"), NO, NO,
           "The pause between pull attempts, for example 10s.")
OCI_OPTION(BUILD_SECRET, "Secret", OCI_IN(BUILD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--secret"), NO, NO,
           "A secret the build's RUN --mount=type=secret instructions get, id=ID,src=PATH.",
           .read = READ(ARGS))
OCI_OPTION(TARGET, "Target", OCI_IN(BUILD), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--target"), BOTH, NO,
           "The stage of a multi-stage Containerfile to build.")

/* ---- [Kube]: podman kube play ---- */
OCI_OPTION(YAML, "Yaml", OCI_IN(KUBE), OCI_TYPE_PATH, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           RF(oci_podman_key_yaml, NULL), NO, NO,
           "A Kubernetes YAML file podman kube play runs; a relative path is taken from the definition's directory.",
           .read = READ(WORDS), .one_of = 4, .example = "app.yaml")
OCI_OPTION(CONFIG_MAP, "ConfigMap", OCI_IN(KUBE), OCI_TYPE_PATH, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           R(FLAG_VALUE, "--configmap"), NO, NO,
           "A Kubernetes ConfigMap YAML file; a relative path is taken from the definition's directory.",
           .read = READ(WORDS))
OCI_OPTION(KUBE_AUTO_UPDATE, "AutoUpdate", OCI_IN(KUBE), OCI_TYPE_AUTO_UPDATE, OCI_OPT_LIST, NULL, NULL,
           RF(oci_podman_key_kube_auto_update, "--annotation"), NO, NO,
           "Let podman auto-update replace the images: registry or local for every container, CONTAINER/registry or CONTAINER/local for one.",
           .read = READ(WORDS))
OCI_OPTION(EXIT_CODE_PROPAGATION, "ExitCodePropagation", OCI_IN(KUBE), OCI_TYPE_CHOICE, 0, NULL, CHOICES("all", "any", "none"),
           R(FLAG_VALUE, "--service-exit-code-propagation"), NO, NO,
           "Whether the service fails when all (all), any (any) or none (none, podman's default) of the containers fail.",
           .podman = PODMAN_AFTER(4, 3))
OCI_OPTION(KUBE_DOWN_FORCE, "KubeDownForce", OCI_IN(KUBE), OCI_TYPE_BOOL, 0, NULL, NULL,
           RF(oci_podman_key_kube_down, "--force"), NO, NO,
           "Remove the volumes too when the service stops (podman kube down --force).",
           .podman = PODMAN_AFTER(4, 3))
OCI_OPTION(KUBE_LOG_DRIVER, "LogDriver", OCI_IN(KUBE), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--log-driver"), NO, NO,
           "Where the containers' output goes (podman's default: its containers.conf's).")
OCI_OPTION(KUBE_SET_WORKING_DIRECTORY, "SetWorkingDirectory", OCI_IN(KUBE), OCI_TYPE_CHOICE, 0, NULL, CHOICES("yaml", "unit"),
           RF(oci_podman_key_kube_workdir, NULL), NO, NO,
           "The service's WorkingDirectory=, from which the YAML's relative paths are taken: yaml (the Yaml= file's directory, with one "
           "Yaml=) or unit (the definition's), unless [Service] sets one.")

/* ---- [Artifact]: an artifact pull (podman 5.6 and later) ---- */
OCI_OPTION(ARTIFACT, "Artifact", OCI_IN(ARTIFACT), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_pull_image, NULL), NO, NO,
           "The OCI artifact to pull, by its full name. Mount=type=artifact,source=NAME.artifact in a container mounts it.",
           .podman = PODMAN_AFTER(5, 5), .one_of = 5, .example = "quay.io/example/model:1")
OCI_OPTION(QUIET, "Quiet", OCI_IN(ARTIFACT), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--quiet"), NO, NO,
           "Say nothing of the pull's progress.",
           .podman = PODMAN_AFTER(5, 5))
