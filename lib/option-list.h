/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every key, declared once. No include guard: this is an X-macro list.
 *
 *   OCI_OPTION(ID, "Key", sections, type, flags, default, choices,
 *              podman rendering, docker rendering, nspawn rendering, "one-line doc")
 *
 * A rendering is R(KIND, "flag") or NO (the backend refuses the key). A new key that maps to one
 * flag is one row here and nothing else. */

/* ---- [Container]: the engine and the image ---- */
OCI_OPTION(BACKEND, "Backend", OCI_IN(CONTAINER) | OCI_IN(DEFAULTS), OCI_TYPE_CHOICE, OCI_OPT_NO_SPECIFIERS,
           NULL, CHOICES("podman", "docker", "nspawn"), R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The engine that runs the container: podman, docker or nspawn. Default: [Defaults] Backend=, else the build's default.")
OCI_OPTION(IMAGE, "Image", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_REQUIRED, NULL, NULL,
           R(BACKEND, NULL), NO, NO,
           "The image to run (required).")
OCI_OPTION(PULL, "Pull", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, NULL, CHOICES("always", "missing", "never", "newer"),
           R(FLAG_VALUE, "--pull"), NO, NO,
           "When to pull the image: always, missing, never or newer. Pull=never drops the network-online dependency.")
OCI_OPTION(CONTAINER_NAME, "ContainerName", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(BACKEND, NULL), NO, NO,
           "The container's name. Default: systemd-%N for podman.")
OCI_OPTION(SERVICE_NAME, "ServiceName", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The name of the generated service, without .service. Default: the file's name.")

/* ---- what runs ---- */
OCI_OPTION(EXEC, "Exec", OCI_IN(CONTAINER), OCI_TYPE_WORDS, 0, NULL, NULL,
           R(BACKEND, NULL), NO, NO,
           "The command and arguments given after the image, split with systemd's quoting rules. The last assignment wins.")
OCI_OPTION(ENTRYPOINT, "Entrypoint", OCI_IN(CONTAINER), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--entrypoint"), NO, NO,
           "Overrides the image's entrypoint.")
OCI_OPTION(ENVIRONMENT, "Environment", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--env"), NO, NO,
           "Environment variables, as KEY=VALUE words quoted as in systemd's Environment=.")
OCI_OPTION(ENVIRONMENT_FILE, "EnvironmentFile", OCI_IN(CONTAINER), OCI_TYPE_PATH, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           R(FLAG_VALUE, "--env-file"), NO, NO,
           "A file of KEY=VALUE lines read by the engine; a relative path is taken from the definition's directory.")
OCI_OPTION(HOST_ENVIRONMENT, "HostEnvironment", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(BACKEND, "--env"), NO, NO,
           "Variables set on the service and passed by name, so that secrets never appear on the command line.")
OCI_OPTION(WORKING_DIR, "WorkingDir", OCI_IN(CONTAINER), OCI_TYPE_PATH, 0, NULL, NULL,
           R(FLAG_VALUE, "--workdir"), NO, NO,
           "The working directory inside the container.")
OCI_OPTION(USER, "User", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(BACKEND, "--user"), NO, NO,
           "The user (name or UID) the process runs as inside the container.")
OCI_OPTION(GROUP, "Group", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(BACKEND, NULL), NO, NO,
           "The group (name or GID) inside the container; needs User=.")
OCI_OPTION(LABEL, "Label", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--label"), NO, NO,
           "Labels on the container, as KEY=VALUE words.")
OCI_OPTION(HOST_NAME, "HostName", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--hostname"), NO, NO,
           "The container's host name.")

/* ---- network, storage, devices ---- */
OCI_OPTION(NETWORK, "Network", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(BACKEND, "--network"), NO, NO,
           "A network mode or network to join (host, none, a name, or NAME.network for a definition).")
OCI_OPTION(PUBLISH_PORT, "PublishPort", OCI_IN(CONTAINER), OCI_TYPE_PORT, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--publish"), NO, NO,
           "[IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]; ranges as 8080-8090; IPv6 addresses in brackets.")
OCI_OPTION(VOLUME, "Volume", OCI_IN(CONTAINER), OCI_TYPE_VOLUME, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           R(FLAG_VALUE, "--volume"), NO, NO,
           "[SOURCE:]DEST[:OPTIONS]; an absolute SOURCE is a bind mount and adds RequiresMountsFor=.")
OCI_OPTION(TMPFS, "Tmpfs", OCI_IN(CONTAINER), OCI_TYPE_MOUNTPOINT, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--tmpfs"), NO, NO,
           "PATH[:OPTIONS]: a tmpfs mounted in the container.")
OCI_OPTION(ADD_DEVICE, "AddDevice", OCI_IN(CONTAINER), OCI_TYPE_DEVICE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--device"), NO, NO,
           "[-]HOST[:CONTAINER][:PERMISSIONS]; a leading '-' adds it only if HOST exists when units are generated.")

/* ---- privileges ---- */
OCI_OPTION(ADD_CAPABILITY, "AddCapability", OCI_IN(CONTAINER), OCI_TYPE_CAPS, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--cap-add"), NO, NO,
           "Capabilities to add, space-separated, with or without the CAP_ prefix.")
OCI_OPTION(DROP_CAPABILITY, "DropCapability", OCI_IN(CONTAINER), OCI_TYPE_CAPS, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--cap-drop"), NO, NO,
           "Capabilities to drop, space-separated, or 'all'.")
OCI_OPTION(PRIVILEGED, "Privileged", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--privileged"), NO, NO,
           "Run with every capability and device (a last resort).")

/* ---- the engine's own behaviour ---- */
OCI_OPTION(LOG_DRIVER, "LogDriver", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, "journald", NULL,
           R(FLAG_VALUE, "--log-driver"), NO, NO,
           "Where the container's output goes.")
OCI_OPTION(LOG_OPT, "LogOpt", OCI_IN(CONTAINER), OCI_TYPE_STRING, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--log-opt"), NO, NO,
           "An option of the log driver, as NAME=VALUE.")
OCI_OPTION(AUTO_REMOVE, "AutoRemove", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, "yes", NULL,
           R(FLAG_IF_TRUE, "--rm"), NO, NO,
           "Remove the container when it exits.")
OCI_OPTION(NOTIFY, "Notify", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, "conmon",
           CHOICES("conmon", "container", "healthy", "yes", "no"),
           R(BACKEND, "--sdnotify"), NO, NO,
           "Who tells systemd the service is ready: conmon (when the container starts), container (the payload, via sd_notify) or healthy (the first passing health check). yes means container, no means conmon.")
OCI_OPTION(GLOBAL_ARGS, "GlobalArgs", OCI_IN(CONTAINER), OCI_TYPE_WORDS, OCI_OPT_LIST, NULL, NULL,
           R(BACKEND, NULL), NO, NO,
           "Arguments for the engine itself, placed before the run command.")
OCI_OPTION(RUN_ARGS, "RunArgs", OCI_IN(CONTAINER), OCI_TYPE_WORDS, OCI_OPT_LIST, NULL, NULL,
           R(ARGS, NULL), NO, NO,
           "Extra arguments of the run command, placed before the image.")
OCI_OPTION(PODMAN_ARGS, "PodmanArgs", OCI_IN(CONTAINER), OCI_TYPE_WORDS, OCI_OPT_LIST, NULL, NULL,
           R(ARGS, NULL), NO, NO,
           "Quadlet's name for RunArgs=; podman only.")

/* ---- the service ---- */
OCI_OPTION(AUTO_START, "AutoStart", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Start at boot (WantedBy=multi-user.target, or default.target for user units). Default: yes, unless the file has an [Install] section.")
OCI_OPTION(DEPENDS_ON, "DependsOn", OCI_IN(CONTAINER), OCI_TYPE_REFS, OCI_OPT_LIST, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Another definition (NAME or NAME.container) this one needs: Requires= and After= on its service.")
OCI_OPTION(DEFAULT_DEPENDENCIES, "DefaultDependencies", OCI_IN(CONTAINER) | OCI_IN(QUADLET), OCI_TYPE_BOOL, 0, "yes", NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "With no, the unit does not wait for network-online.target.")

/* ---- [Install], carried out by the generator as symlinks ---- */
OCI_OPTION(WANTED_BY, "WantedBy", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Units that want this one: a symlink in UNIT.wants/.")
OCI_OPTION(REQUIRED_BY, "RequiredBy", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Units that require this one: a symlink in UNIT.requires/.")
OCI_OPTION(UPHELD_BY, "UpheldBy", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Units that uphold this one: a symlink in UNIT.upholds/.")
OCI_OPTION(ALIAS, "Alias", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Other names of the service: symlinks beside it.")

/* ---- [Defaults] in oci-containers.conf ---- */
OCI_OPTION(PUBLISH_ADDRESS, "PublishAddress", OCI_IN(DEFAULTS), OCI_TYPE_ADDRESS, 0, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The host address a PublishPort= without one is bound to (for example 127.0.0.1).")
OCI_OPTION(PODMAN_PATH, "PodmanPath", OCI_IN(DEFAULTS), OCI_TYPE_PATH, OCI_OPT_NO_SPECIFIERS, PODMAN_PATH, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The podman binary.")
OCI_OPTION(DOCKER_PATH, "DockerPath", OCI_IN(DEFAULTS), OCI_TYPE_PATH, OCI_OPT_NO_SPECIFIERS, DOCKER_PATH, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The docker binary.")
OCI_OPTION(NSPAWN_PATH, "NspawnPath", OCI_IN(DEFAULTS), OCI_TYPE_PATH, OCI_OPT_NO_SPECIFIERS, NSPAWN_PATH, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The systemd-nspawn binary.")
