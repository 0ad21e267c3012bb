/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every key, declared once. No include guard: this is an X-macro list.
 *
 *   OCI_OPTION(ID, "Key", sections, type, flags, default, choices,
 *              podman rendering, docker rendering, nspawn rendering, "one-line doc"
 *              [, optional columns])
 *
 * A rendering is R(KIND, "flag"), RF(function, "flag") where code renders the key (the function,
 * declared in option-fns.h, is in lib/backend; the flag, where there is one, is what the man page
 * names), or NO (the backend refuses the key); BOTH in the docker column: docker takes podman's
 * rendering. A new key that maps to one flag is one row here and nothing else.
 * The optional columns, as designated initializers:
 *   .ref = REF(PART, TYPE, DEP)   the value names a TYPE definition in its PART (WORD, WHOLE,
 *                                 PREFIX, SOURCE); the unit REQUIRES or BINDS to its unit;
 *   .ref = REF_ANY(PART, TYPE, DEP, OCI_UNIT_BIT(OTHER) | ...)  or a definition of an OTHER type,
 *                                 told by the extension
 *   .conflicts = K(ID)            this key and ID exclude each other
 *   .needs = K(ID)                this key is set only with ID
 *   .deprecated_by = K(ID)        a warning: use ID instead
 *   .together = N                 the keys of group N are set all or none
 *   .apart = N (or -N)            no key with N is set with one with -N
 *   .one_of = N                   a file whose main section has the keys of group N sets one of
 *                                 them; .example = "VALUE" is the value its message suggests
 *   .belongs_to = K(ID)           not set with ID: the definition ID names sets it for this one
 *   .count_le = K(ID)             no more items than ID has, each going with the one in its place
 *   .goes_with = WHEN(ID, "V")    set exactly when ID=V is
 *   .podman = PODMAN_AFTER(M, N)  podman M.N (and older) lack it
 *   .read = READ(MODE)            how Quadlet reads it, where the default (LAST for one value,
 *                                 ALL for a list) is not it
 *   .kube = KUBE("field")         what --export=kube makes of it (lib/export writes it), or
 *   .kube = KUBE_NONE("why")      it has no Kubernetes meaning: a warning saying why when set;
 *                                 every row of a section the export reads has one (test-options)
 * A key that means different things in two sections has a row for each. */

/* ---- [Container]: the engine and the image ---- */
OCI_OPTION(BACKEND, "Backend", OCI_IN(CONTAINER) | OCI_IN(DEFAULTS) | OCI_IN(NETWORK) | OCI_IN(VOLUME) | OCI_IN(POD) | OCI_IN(IMAGE) | OCI_IN(BUILD) | OCI_IN(KUBE) | OCI_IN(ARTIFACT), OCI_TYPE_CHOICE, OCI_OPT_NO_SPECIFIERS,
           NULL, CHOICES("podman", "docker", "nspawn"), R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The engine that runs the container: podman, docker or nspawn. Default: [Defaults] Backend=, else the build's default.",
           .kube = KUBE_NONE("the engine, which is the cluster's"))
OCI_OPTION(IMAGE, "Image", OCI_IN(CONTAINER), OCI_TYPE_IMAGE, 0, NULL, NULL,
           RF(oci_key_image, NULL), RF(oci_key_image, NULL), RF(oci_nspawn_key_machine, NULL),
           "The image to run. NAME.image or NAME.build names "
           "the definition that pulls or builds it: the container gets its image's name, and requires its service.",
           .ref = REF_ANY(SUFFIX, IMAGE, REQUIRES, OCI_UNIT_BIT(BUILD)), .one_of = 1, .example = "docker.io/library/nginx:latest",
           .kube = KUBE("containers[].image"))
OCI_OPTION(PULL, "Pull", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, NULL, CHOICES("always", "missing", "never", "newer"),
           R(FLAG_VALUE, "--pull"), RF(oci_docker_key_pull, "--pull"), NO,
           "When to pull the image: always, missing, never or newer. Pull=never drops the network-online dependency.",
           .kube = KUBE("containers[].imagePullPolicy: always and newer Always, missing IfNotPresent, never Never"))
OCI_OPTION(CONTAINER_NAME, "ContainerName", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_ENGINE_NAME, NULL, NULL,
           RF(oci_podman_key_run_options, NULL), RF(oci_docker_key_name, NULL), RF(oci_nspawn_key_machine, "--machine"),
           "The container's name. Default: systemd-%N for podman. With Backend=nspawn the machine's name (default: the file's), at most 11 characters with Network=veth or bridge:, as NixOS has it (the host's end of the veth, ve-NAME or vb-NAME, is an interface name); its log lines are journalctl -t \"container NAME\".",
           .kube = KUBE("metadata.name of the Pod and its Service (default: systemd-NAME, podman's name)"))
OCI_OPTION(SERVICE_NAME, "ServiceName", OCI_IN(CONTAINER) | OCI_IN(NETWORK) | OCI_IN(VOLUME) | OCI_IN(POD) | OCI_IN(IMAGE) | OCI_IN(BUILD) | OCI_IN(KUBE) | OCI_IN(ARTIFACT), OCI_TYPE_NAME, OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The name of the generated service, without .service. Default: the file's name.",
           .kube = KUBE_NONE("it names the systemd unit"))

/* ---- what runs ---- */
OCI_OPTION(EXEC, "Exec", OCI_IN(CONTAINER), OCI_TYPE_WORDS, 0, NULL, NULL,
           RF(oci_key_exec, NULL), RF(oci_key_exec, NULL), RF(oci_nspawn_key_exec, NULL),
           "The command and arguments given after the image, split into words as Quadlet splits them (quotes, C escapes). The last assignment wins.",
           .read = READ(LAST_ARGS),
           .kube = KUBE("containers[].args"))
OCI_OPTION(ENTRYPOINT, "Entrypoint", OCI_IN(CONTAINER), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--entrypoint"), BOTH, NO,
           "Overrides the image's entrypoint.",
           .kube = KUBE("containers[].command"))
OCI_OPTION(ENVIRONMENT, "Environment", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--env"), BOTH, R(FLAG_VALUE, "--setenv"),
           "Environment variables, as KEY=VALUE words; a KEY alone passes the value the engine itself has (podman and docker take it from their environment).",
           .read = READ(KEYVAL),
           .kube = KUBE("containers[].env[].value"))
OCI_OPTION(ENVIRONMENT_FILE, "EnvironmentFile", OCI_IN(CONTAINER), OCI_TYPE_PATH, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           R(FLAG_VALUE, "--env-file"), BOTH, NO,
           "A file of KEY=VALUE lines read by the engine; a relative path is taken from the definition's directory.",
           .read = READ(ARGS),
           .kube = KUBE("containers[].envFrom[].configMapRef: the ConfigMap NAME-FILE, which the warning says how to make from the file"))
OCI_OPTION(HOST_ENVIRONMENT, "HostEnvironment", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST | OCI_OPT_CONFIDENTIAL, NULL, NULL,
           RF(oci_key_host_environment, "--env"), BOTH, RF(oci_key_host_environment, "--setenv"),
           "Secret variables: written to NAME.service.env (mode 0600) beside the unit, read by the service and passed by name, never in the unit or on a command line. No specifiers but %%. A message about a mistaken word names its variable, never its value.",
           .read = READ(KEYVAL),
           .kube = KUBE("containers[].env[].valueFrom.secretKeyRef: the key of that name in the Secret NAME-env, never the value"))
OCI_OPTION(WORKING_DIR, "WorkingDir", OCI_IN(CONTAINER), OCI_TYPE_PATH, 0, NULL, NULL,
           R(FLAG_VALUE, "--workdir"), BOTH, R(FLAG_VALUE, "--chdir"),
           "The working directory inside the container.",
           .kube = KUBE("containers[].workingDir"))
OCI_OPTION(USER, "User", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_user, "--user"), BOTH, R(FLAG_VALUE, "--user"),
           "The user (name or UID) the process runs as inside the container.",
           .kube = KUBE("containers[].securityContext.runAsUser (a UID)"))
OCI_OPTION(GROUP, "Group", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_user, NULL), BOTH, NO,
           "The group (name or GID) inside the container; needs User=.",
           .needs = K(USER),
           .kube = KUBE("containers[].securityContext.runAsGroup (a GID)"))
OCI_OPTION(LABEL, "Label", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--label"), BOTH, NO,
           "Labels on the container, as KEY=VALUE words.",
           .read = READ(KEYVAL),
           .kube = KUBE("metadata.labels (the Pod's)"))
OCI_OPTION(OBJECT_LABEL, "Label", OCI_IN(NETWORK) | OCI_IN(VOLUME) | OCI_IN(POD), OCI_TYPE_KEYVALUE, OCI_OPT_LIST | OCI_OPT_BARE_KEYS, NULL, NULL,
           R(FLAG_VALUE, "--label"), BOTH, NO,
           "Labels on the network, volume or pod itself (not on the containers that use it), as KEY=VALUE words; a KEY alone is a label with an empty value.",
           .read = READ(KEYVAL),
           .kube = KUBE("metadata.labels of the Pod or PersistentVolumeClaim"))
OCI_OPTION(HOST_NAME, "HostName", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--hostname"), BOTH, R(FLAG_VALUE, "--hostname"),
           "The container's host name.",
           .kube = KUBE("spec.hostname"))

/* ---- network, storage, devices ---- */
OCI_OPTION(NETWORK, "Network", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(BUILD) | OCI_IN(KUBE), OCI_TYPE_NETWORK, OCI_OPT_LIST, NULL, NULL,
           RF(oci_key_network, "--network"), BOTH, RF(oci_nspawn_key_network, NULL),
           "A network mode or network to join (host, none, a name, NAME.network for a definition), or NAME.container: the network namespace of that definition's container (container:ITS-NAME), as Quadlet has it.",
           .ref = REF_ANY(PREFIX, NETWORK, REQUIRES, OCI_UNIT_BIT(CONTAINER)), .belongs_to = K(POD),
           .kube = KUBE("host: spec.hostNetwork; NAME.network: no object, its members reach each other by their Services' names"))
OCI_OPTION(PUBLISH_PORT, "PublishPort", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(KUBE), OCI_TYPE_PORT, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--publish"), BOTH, RF(oci_nspawn_key_port, "--port"),
           "[IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]; ranges as 8080-8090; IPv6 addresses in brackets; a mapping with a variable of the service's environment (${PORT}:80) is passed as written.",
           .belongs_to = K(POD),
           .kube = KUBE("containers[].ports[] (hostPort with a host port), and a Service of the same ports"))
/* before Volume=: the volume parser reads its item, and rows are parsed in table order */
OCI_OPTION(VOLUME_SUB_DIR, "VolumeSubDir", OCI_IN(CONTAINER), OCI_TYPE_DIR_NAME, OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "With [Defaults] VolumeBaseDir=: the directory under it for this definition's named volumes (default: the file's name).",
           .kube = KUBE_NONE("it names a directory of [Defaults] VolumeBaseDir=, a host path"))
OCI_OPTION(VOLUME, "Volume", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(BUILD), OCI_TYPE_VOLUME, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           R(FLAG_VALUE, "--volume"), BOTH, RF(oci_nspawn_key_volume, NULL),
           "[SOURCE:]DEST[:OPTIONS]; an absolute SOURCE is a bind mount and adds RequiresMountsFor=.",
           .ref = REF(SOURCE, VOLUME, REQUIRES),
           .kube = KUBE("spec.volumes[] and containers[].volumeMounts[]: NAME.volume or a name a persistentVolumeClaim, a path a hostPath (a warning), none an emptyDir"))
OCI_OPTION(TMPFS, "Tmpfs", OCI_IN(CONTAINER), OCI_TYPE_MOUNTPOINT, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--tmpfs"), BOTH, R(FLAG_VALUE, "--tmpfs"),
           "PATH[:OPTIONS]: a tmpfs mounted in the container.",
           .kube = KUBE("spec.volumes[].emptyDir (medium Memory) and containers[].volumeMounts[]"))
OCI_OPTION(ADD_DEVICE, "AddDevice", OCI_IN(CONTAINER), OCI_TYPE_DEVICE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--device"), BOTH, RF(oci_nspawn_key_device, "--bind"),
           "[-]HOST[:CONTAINER][:PERMISSIONS]; a leading '-' adds it only if HOST exists when units are generated.",
           .read = READ(WORDS),
           .kube = KUBE_NONE("a Pod takes no host devices but through a device plugin"))

/* ---- privileges ---- */
OCI_OPTION(ADD_CAPABILITY, "AddCapability", OCI_IN(CONTAINER), OCI_TYPE_CAPS, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--cap-add"), BOTH, RF(oci_nspawn_key_caps, "--capability"),
           "Capabilities to add, space-separated, with or without the CAP_ prefix.",
           .read = READ(WORDS),
           .kube = KUBE("containers[].securityContext.capabilities.add"))
OCI_OPTION(DROP_CAPABILITY, "DropCapability", OCI_IN(CONTAINER), OCI_TYPE_CAPS, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--cap-drop"), BOTH, RF(oci_nspawn_key_caps, "--drop-capability"),
           "Capabilities to drop, space-separated, or 'all'.",
           .read = READ(WORDS),
           .kube = KUBE("containers[].securityContext.capabilities.drop"))
OCI_OPTION(PRIVILEGED, "Privileged", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--privileged"), BOTH, R(FLAG_IF_TRUE, "--capability=all"),
           "Run with every capability and device (a last resort).",
           .kube = KUBE("containers[].securityContext.privileged"))

/* ---- the engine's own behaviour ---- */
OCI_OPTION(LOG_DRIVER, "LogDriver", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_log, "--log-driver"), BOTH, NO,
           "Where the container's output goes. Default: podman's own (containers.conf; journald on Debian), as Quadlet leaves it; journald with docker.",
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(LOG_OPT, "LogOpt", OCI_IN(CONTAINER) | OCI_IN(KUBE), OCI_TYPE_STRING, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--log-opt"), BOTH, NO,
           "An option of the log driver, as NAME=VALUE.",
           .read = READ(WORDS),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(AUTO_REMOVE, "AutoRemove", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, "yes", NULL,
           RF(oci_podman_key_run_options, "--rm"), R(FLAG_IF_TRUE, "--rm"), NO,
           "Remove the container when it exits.",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(NOTIFY, "Notify", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, "conmon",
           CHOICES("conmon", "container", "healthy", "yes", "no"),
           RF(oci_podman_key_run_options, "--sdnotify"), RF(oci_docker_key_notify, NULL), NO,
           "Who tells systemd the service is ready: conmon (when the container starts), container (the payload, via sd_notify) or healthy (the first passing health check; needs a podman newer than 4.3, Debian 12's). yes means container, no means conmon.",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(GLOBAL_ARGS, "GlobalArgs", OCI_IN(CONTAINER) | OCI_IN(NETWORK) | OCI_IN(VOLUME) | OCI_IN(POD) | OCI_IN(IMAGE) | OCI_IN(BUILD) | OCI_IN(KUBE) | OCI_IN(ARTIFACT), OCI_TYPE_WORDS, OCI_OPT_LIST, NULL, NULL,
           RF(oci_key_global_args, NULL), BOTH, NO,
           "Arguments for the engine itself, placed before its command (run; network create, volume create, network rm; pod create).",
           .read = READ(ARGS),
           .kube = KUBE_NONE("engine arguments cannot be read as fields"))
OCI_OPTION(RUN_ARGS, "RunArgs", OCI_IN(CONTAINER), OCI_TYPE_WORDS, OCI_OPT_LIST, NULL, NULL,
           R(ARGS, NULL), BOTH, R(ARGS, NULL),
           "Extra arguments of the run command, placed before the image.",
           .read = READ(ARGS),
           .kube = KUBE_NONE("engine arguments cannot be read as fields"))
OCI_OPTION(PODMAN_ARGS, "PodmanArgs", OCI_IN(CONTAINER) | OCI_IN(NETWORK) | OCI_IN(VOLUME) | OCI_IN(POD) | OCI_IN(IMAGE) | OCI_IN(BUILD) | OCI_IN(KUBE) | OCI_IN(ARTIFACT), OCI_TYPE_WORDS, OCI_OPT_LIST, NULL, NULL,
           R(ARGS, NULL), NO, NO,
           "Quadlet's name for RunArgs=; podman only.",
           .read = READ(ARGS),
           .kube = KUBE_NONE("engine arguments cannot be read as fields"))

/* ---- the rest of Quadlet's [Container] keys ---- */
OCI_OPTION(ROOTFS, "Rootfs", OCI_IN(CONTAINER), OCI_TYPE_PATH, OCI_OPT_RELATIVE, NULL, NULL,
           RF(oci_key_image, "--rootfs"), NO, NO,
           "A directory used as the container's root file system instead of an image: --rootfs PATH where the image would be; not with Image=.",
           .conflicts = K(IMAGE), .one_of = 1,
           .kube = KUBE_NONE("a Pod runs images only"))
OCI_OPTION(ADD_HOST, "AddHost", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--add-host"), BOTH, NO,
           "An extra line of /etc/hosts, as HOSTNAME:IP.",
           .kube = KUBE("spec.hostAliases[]"))
OCI_OPTION(ANNOTATION, "Annotation", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--annotation"), NO, NO,
           "OCI annotations, as KEY=VALUE words.",
           .read = READ(KEYVAL),
           .kube = KUBE("metadata.annotations (the Pod's)"))
OCI_OPTION(AUTO_UPDATE, "AutoUpdate", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, NULL, CHOICES("registry", "local"),
           R(FLAG_PREFIX, "--label=io.containers.autoupdate="), NO, NO,
           "Let podman auto-update replace the image: registry (a newer image in the registry) or local (a newer local image).",
           .kube = KUBE_NONE("image updates are the cluster's (a Deployment's rollout)"))
OCI_OPTION(CGROUPS_MODE, "CgroupsMode", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, "split", CHOICES("split", "enabled", "disabled", "no-conmon"),
           RF(oci_podman_key_run_options, "--cgroups"), NO, NO,
           "How the container's cgroups are made; split (the default) puts conmon and the payload under the service's cgroup.",
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(CONTAINERS_CONF_MODULE, "ContainersConfModule", OCI_IN(CONTAINER) | OCI_IN(NETWORK) | OCI_IN(VOLUME) | OCI_IN(POD) | OCI_IN(IMAGE) | OCI_IN(BUILD) | OCI_IN(KUBE) | OCI_IN(ARTIFACT), OCI_TYPE_PATH, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           RF(oci_key_module, "--module"), NO, NO,
           "A containers.conf module loaded by podman for this container, pod, network or volume (--module=PATH before the command).",
           .podman = PODMAN_AFTER(4, 6),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(DNS, "DNS", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--dns"), BOTH, NO,
           "A DNS server for the container, or none.",
           .kube = KUBE("spec.dnsConfig.nameservers, with spec.dnsPolicy None (none: a warning)"))
OCI_OPTION(DNS_OPTION, "DNSOption", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--dns-option"), BOTH, NO,
           "A resolver option for the container's resolv.conf.",
           .kube = KUBE("spec.dnsConfig.options[]"))
OCI_OPTION(DNS_SEARCH, "DNSSearch", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--dns-search"), BOTH, NO,
           "A DNS search domain for the container.",
           .kube = KUBE("spec.dnsConfig.searches"))
OCI_OPTION(ENVIRONMENT_HOST, "EnvironmentHost", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--env-host"), NO, NO,
           "Pass the whole environment of the service into the container.",
           .kube = KUBE_NONE("a Pod does not see the node's environment"))
OCI_OPTION(EXPOSE_HOST_PORT, "ExposeHostPort", OCI_IN(CONTAINER), OCI_TYPE_PORT_RANGE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--expose"), BOTH, NO,
           "A port or range the container exposes to other containers, PORT[-PORT][/PROTOCOL].",
           .kube = KUBE_NONE("it opens a port of the host to the container"))
OCI_OPTION(GID_MAP, "GIDMap", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--gidmap"), NO, NO,
           "A GID mapping of the user namespace, CONTAINER:HOST:COUNT.",
           .read = READ(WORDS), .apart = -1,
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(UID_MAP, "UIDMap", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--uidmap"), NO, NO,
           "A UID mapping of the user namespace, CONTAINER:HOST:COUNT.",
           .read = READ(WORDS), .apart = -1,
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(SUB_GID_MAP, "SubGIDMap", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--subgidname"), NO, NO,
           "Map GIDs from this name's range in /etc/subgid.",
           .apart = -1,
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(SUB_UID_MAP, "SubUIDMap", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--subuidname"), NO, NO,
           "Map UIDs from this name's range in /etc/subuid.",
           .apart = -1,
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(USER_NS, "UserNS", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(KUBE), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--userns"), BOTH, NO,
           "The user namespace mode, for example auto, keep-id or host.",
           .apart = -1,
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
/* Quadlet's deprecated keys, translated as it translates them */
OCI_OPTION(REMAP_USERS, "RemapUsers", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(KUBE), OCI_TYPE_CHOICE, 0, NULL, CHOICES("manual", "auto", "keep-id"),
           RF(oci_podman_key_remap, NULL), NO, NO,
           "Deprecated, use UserNS=: manual gives the maps of RemapUid= and RemapGid= as --uidmap and --gidmap; auto is --userns=auto with them as uidmapping= and gidmapping= and RemapUidSize= as size=; keep-id is --userns=keep-id, with uid= and gid= from one RemapUid= and one RemapGid=.",
           .deprecated_by = K(USER_NS), .apart = 1, .read = READ(LAST_RAW),
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(REMAP_UID, "RemapUid", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(KUBE), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           RF(oci_podman_key_remap, "--uidmap"), NO, NO,
           "Deprecated, use UIDMap=: a UID map with RemapUsers=manual or auto, or the UID for keep-id.",
           .read = READ(WORDS), .needs = K(REMAP_USERS), .deprecated_by = K(UID_MAP), .apart = 1,
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(REMAP_GID, "RemapGid", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(KUBE), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           RF(oci_podman_key_remap, "--gidmap"), NO, NO,
           "Deprecated, use GIDMap=: a GID map with RemapUsers=manual or auto, or the GID for keep-id.",
           .read = READ(WORDS), .needs = K(REMAP_USERS), .deprecated_by = K(GID_MAP), .apart = 1,
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(REMAP_UID_SIZE, "RemapUidSize", OCI_IN(CONTAINER) | OCI_IN(POD) | OCI_IN(KUBE), OCI_TYPE_INT, 0, NULL, NULL,
           RF(oci_podman_key_remap, "size="), NO, NO,
           "Deprecated, use UserNS=auto:size=N: with RemapUsers=auto, the size of the automatic user namespace (0: podman's choice).",
           .deprecated_by = K(USER_NS),
           .kube = KUBE_NONE("user namespaces are the node's (spec.hostUsers)"))
OCI_OPTION(GROUP_ADD, "GroupAdd", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--group-add"), BOTH, NO,
           "An additional group of the container's process.",
           .kube = KUBE("spec.securityContext.supplementalGroups (GIDs)"))
OCI_OPTION(HEALTH_CMD, "HealthCmd", OCI_IN(CONTAINER), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-cmd"), BOTH, NO,
           "The health check command, run in the container; none disables the image's.",
           .kube = KUBE("containers[].readinessProbe.exec, or livenessProbe with HealthOnFailure=kill, restart or stop"))
OCI_OPTION(HEALTH_INTERVAL, "HealthInterval", OCI_IN(CONTAINER), OCI_TYPE_DURATION, 0, NULL, CHOICES("disable"),
           R(FLAG_VALUE, "--health-interval"), BOTH, NO,
           "Time between health checks, for example 30s, or disable.",
           .kube = KUBE("the probe's periodSeconds (disable: no probe)"))
OCI_OPTION(HEALTH_LOG_DESTINATION, "HealthLogDestination", OCI_IN(CONTAINER), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-log-destination"), NO, NO,
           "Where health check results go: local, a directory, or events_logger.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(HEALTH_MAX_LOG_COUNT, "HealthMaxLogCount", OCI_IN(CONTAINER), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-max-log-count"), NO, NO,
           "How many health check results are kept.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(HEALTH_MAX_LOG_SIZE, "HealthMaxLogSize", OCI_IN(CONTAINER), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-max-log-size"), NO, NO,
           "How many characters of a health check's output are kept.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(HEALTH_ON_FAILURE, "HealthOnFailure", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, NULL, CHOICES("none", "kill", "restart", "stop"),
           R(FLAG_VALUE, "--health-on-failure"), NO, NO,
           "What happens when the container turns unhealthy: none, kill, restart or stop.",
           .kube = KUBE("none: readinessProbe; kill, restart, stop: livenessProbe"))
OCI_OPTION(HEALTH_RETRIES, "HealthRetries", OCI_IN(CONTAINER), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-retries"), BOTH, NO,
           "Failed checks in a row before the container is unhealthy.",
           .kube = KUBE("the probe's failureThreshold"))
OCI_OPTION(HEALTH_START_PERIOD, "HealthStartPeriod", OCI_IN(CONTAINER), OCI_TYPE_DURATION, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-start-period"), BOTH, NO,
           "Time the container gets to start before failed checks count.",
           .kube = KUBE("the probe's initialDelaySeconds"))
OCI_OPTION(HEALTH_STARTUP_CMD, "HealthStartupCmd", OCI_IN(CONTAINER), OCI_TYPE_STRING, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-startup-cmd"), NO, NO,
           "A check run until it first passes, before the regular health checks begin.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE("containers[].startupProbe.exec"))
OCI_OPTION(HEALTH_STARTUP_INTERVAL, "HealthStartupInterval", OCI_IN(CONTAINER), OCI_TYPE_DURATION, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-startup-interval"), NO, NO,
           "Time between startup checks.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE("containers[].startupProbe.periodSeconds"))
OCI_OPTION(HEALTH_STARTUP_RETRIES, "HealthStartupRetries", OCI_IN(CONTAINER), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-startup-retries"), NO, NO,
           "Failed startup checks before the container is restarted.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE("containers[].startupProbe.failureThreshold"))
OCI_OPTION(HEALTH_STARTUP_SUCCESS, "HealthStartupSuccess", OCI_IN(CONTAINER), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-startup-success"), NO, NO,
           "Passed startup checks needed before the regular checks begin.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE_NONE("a startupProbe's successThreshold must be 1"))
OCI_OPTION(HEALTH_STARTUP_TIMEOUT, "HealthStartupTimeout", OCI_IN(CONTAINER), OCI_TYPE_DURATION, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-startup-timeout"), NO, NO,
           "How long a startup check may run.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE("containers[].startupProbe.timeoutSeconds"))
OCI_OPTION(HEALTH_TIMEOUT, "HealthTimeout", OCI_IN(CONTAINER), OCI_TYPE_DURATION, 0, NULL, NULL,
           R(FLAG_VALUE, "--health-timeout"), BOTH, NO,
           "How long a health check may run.",
           .kube = KUBE("the probe's timeoutSeconds"))
OCI_OPTION(HTTP_PROXY, "HttpProxy", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--http-proxy"), NO, NO,
           "Whether the host's proxy variables are passed into the container (podman's default: yes).",
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(IP, "IP", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_ADDRESS, 0, NULL, NULL,
           R(FLAG_VALUE, "--ip"), BOTH, NO,
           "A static IPv4 address on the container's network.",
           .kube = KUBE_NONE("the cluster gives Pods their addresses"))
OCI_OPTION(IP6, "IP6", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_ADDRESS, 0, NULL, NULL,
           R(FLAG_VALUE, "--ip6"), BOTH, NO,
           "A static IPv6 address on the container's network.",
           .kube = KUBE_NONE("the cluster gives Pods their addresses"))
OCI_OPTION(NETWORK_ALIAS, "NetworkAlias", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--network-alias"), BOTH, NO,
           "Another name of the container on its networks.",
           .kube = KUBE_NONE("a name other Pods reach is a Service: not exported yet"))
OCI_OPTION(MASK, "Mask", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_PREFIX, "--security-opt=mask="), NO, NO,
           "Paths to hide inside the container, separated by ':'.",
           .read = READ(ARGS),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(UNMASK, "Unmask", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_PREFIX, "--security-opt=unmask="), NO, NO,
           "Paths podman masks by default to show, separated by ':', or ALL.",
           .read = READ(ARGS),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(MEMORY, "Memory", OCI_IN(CONTAINER), OCI_TYPE_SIZE, 0, NULL, NULL,
           R(FLAG_VALUE, "--memory"), BOTH, NO,
           "The container's memory limit, for example 512m.",
           .kube = KUBE("containers[].resources.limits.memory"))
OCI_OPTION(SHM_SIZE, "ShmSize", OCI_IN(CONTAINER) | OCI_IN(POD), OCI_TYPE_SIZE, 0, NULL, NULL,
           R(FLAG_VALUE, "--shm-size"), BOTH, NO,
           "The size of /dev/shm, for example 64m.",
           .kube = KUBE_NONE("a Pod's /dev/shm is the node's (an emptyDir of medium Memory can stand in)"))
OCI_OPTION(PIDS_LIMIT, "PidsLimit", OCI_IN(CONTAINER), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--pids-limit"), BOTH, NO,
           "The most processes the container may have; -1 for no limit.",
           .kube = KUBE_NONE("the limit of processes is the node's (kubelet's podPidsLimit)"))
OCI_OPTION(ULIMIT, "Ulimit", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--ulimit"), BOTH, NO,
           "A resource limit, NAME=SOFT[:HARD], for example nofile=1024:2048.",
           .kube = KUBE_NONE("resource limits of processes are the node's"))
OCI_OPTION(SYSCTL, "Sysctl", OCI_IN(CONTAINER), OCI_TYPE_KEYVALUE, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--sysctl"), BOTH, NO,
           "Kernel parameters of the container's namespaces, as NAME=VALUE words.",
           .read = READ(WORDS),
           .kube = KUBE("spec.securityContext.sysctls[]"))
OCI_OPTION(MOUNT, "Mount", OCI_IN(CONTAINER), OCI_TYPE_MOUNT, OCI_OPT_LIST | OCI_OPT_RELATIVE, NULL, NULL,
           R(FLAG_VALUE, "--mount"), BOTH, NO,
           "A mount in podman's --mount syntax, type=TYPE,source=...,destination=... (CSV: \"dst=/a,b\" quotes a field). "
           "The source of a volume, bind, glob, image or artifact mount is required and written source=: a relative path is "
           "taken from the definition's directory, a path adds RequiresMountsFor=, NAME.volume, NAME.image or NAME.artifact "
           "names the definition (its name, and its service is required).",
           .ref = REF_ANY(SOURCE, VOLUME, REQUIRES, OCI_UNIT_BIT(IMAGE) | OCI_UNIT_BIT(ARTIFACT)), .read = READ(ARGS),
           .kube = KUBE_NONE("not exported yet: write the mount as Volume= or Tmpfs="))
OCI_OPTION(SECRET, "Secret", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--secret"), NO, NO,
           "A podman secret given to the container, SECRET[,OPTION=VALUE...].",
           .read = READ(ARGS),
           .kube = KUBE_NONE("a Kubernetes Secret is its own object: not exported yet"))
OCI_OPTION(POD, "Pod", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_podman_key_pod, "--pod"), RF(oci_docker_key_pod, NULL), NO,
           "The pod (a NAME.pod definition) the container joins; it is bound to the pod's service.",
           .ref = REF(WHOLE, POD, BINDS),
           .kube = KUBE("one of the containers[] of the .pod's Pod"))
OCI_OPTION(READ_ONLY, "ReadOnly", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--read-only"), BOTH, NO,
           "Mount the container's root file system read-only.",
           .kube = KUBE("containers[].securityContext.readOnlyRootFilesystem"))
OCI_OPTION(READ_ONLY_TMPFS, "ReadOnlyTmpfs", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--read-only-tmpfs"), NO, NO,
           "With ReadOnly=yes, whether /tmp, /run and /var/tmp are writable tmpfs (podman's default: yes).",
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(VOLATILE_TMP, "VolatileTmp", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           RF(oci_key_volatile_tmp, "--tmpfs"), BOTH, NO,
           "Deprecated, use Tmpfs=/tmp: a tmpfs on /tmp (unless ReadOnly=yes, which has one already).",
           .deprecated_by = K(TMPFS),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(RUN_INIT, "RunInit", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_BOOL, "--init"), BOTH, NO,
           "Run a minimal init as PID 1 that reaps zombies and forwards signals.",
           .kube = KUBE_NONE("a Pod has no init of the engine (spec.shareProcessNamespace comes close)"))
OCI_OPTION(NO_NEW_PRIVILEGES, "NoNewPrivileges", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--security-opt=no-new-privileges"), BOTH, NO,
           "Processes in the container cannot gain privileges (setuid binaries, file capabilities).",
           .kube = KUBE("containers[].securityContext.allowPrivilegeEscalation (false)"))
OCI_OPTION(SECCOMP_PROFILE, "SeccompProfile", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_PREFIX, "--security-opt=seccomp="), BOTH, NO,
           "A seccomp profile (a JSON file), or unconfined.",
           .kube = KUBE_NONE("a profile file of the host: not exported"))
OCI_OPTION(APP_ARMOR, "AppArmor", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_PREFIX, "--security-opt=apparmor="), BOTH, NO,
           "The AppArmor profile the container runs under, or unconfined.",
           .kube = KUBE_NONE("a profile of the host: not exported"))
OCI_OPTION(SECURITY_LABEL_DISABLE, "SecurityLabelDisable", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--security-opt=label=disable"), BOTH, NO,
           "Turn off SELinux separation for the container.",
           .kube = KUBE_NONE("SELinux labels are the node's (securityContext.seLinuxOptions): not exported yet"))
OCI_OPTION(SECURITY_LABEL_FILE_TYPE, "SecurityLabelFileType", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_PREFIX, "--security-opt=label=filetype:"), NO, NO,
           "The SELinux type of the container's files.",
           .kube = KUBE_NONE("SELinux labels are the node's: not exported yet"))
OCI_OPTION(SECURITY_LABEL_LEVEL, "SecurityLabelLevel", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_PREFIX, "--security-opt=label=level:"), BOTH, NO,
           "The SELinux level of the container's process.",
           .kube = KUBE_NONE("SELinux labels are the node's: not exported yet"))
OCI_OPTION(SECURITY_LABEL_NESTED, "SecurityLabelNested", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--security-opt=label=nested"), NO, NO,
           "Allow SELinux labelling inside the container.",
           .kube = KUBE_NONE("SELinux labels are the node's: not exported yet"))
OCI_OPTION(SECURITY_LABEL_TYPE, "SecurityLabelType", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_PREFIX, "--security-opt=label=type:"), BOTH, NO,
           "The SELinux type of the container's process.",
           .kube = KUBE_NONE("SELinux labels are the node's: not exported yet"))
OCI_OPTION(STOP_SIGNAL, "StopSignal", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--stop-signal"), BOTH, NO,
           "The signal that stops the container, for example SIGINT.",
           .kube = KUBE_NONE("the image says the stop signal in a cluster"))
OCI_OPTION(STOP_TIMEOUT, "StopTimeout", OCI_IN(CONTAINER), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--stop-timeout"), BOTH, NO,
           "Seconds between the stop signal and SIGKILL.",
           .kube = KUBE("spec.terminationGracePeriodSeconds"))
OCI_OPTION(TIMEZONE, "Timezone", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--tz"), NO, R(FLAG_VALUE, "--timezone"),
           "The container's time zone, for example Europe/Berlin, or local.",
           .kube = KUBE_NONE("a Pod has the node's time zone unless its image sets TZ"))
OCI_OPTION(RETRY, "Retry", OCI_IN(CONTAINER) | OCI_IN(IMAGE) | OCI_IN(ARTIFACT), OCI_TYPE_INT, 0, NULL, NULL,
           R(FLAG_VALUE, "--retry"), NO, NO,
           "How often a failed image pull is tried again.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(RETRY_DELAY, "RetryDelay", OCI_IN(CONTAINER) | OCI_IN(IMAGE) | OCI_IN(ARTIFACT), OCI_TYPE_DURATION, 0, NULL, NULL,
           R(FLAG_VALUE, "--retry-delay"), NO, NO,
           "The pause between pull attempts, for example 10s.",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(RELOAD_CMD, "ReloadCmd", OCI_IN(CONTAINER), OCI_TYPE_WORDS, 0, NULL, NULL,
           RF(oci_key_reload, NULL), BOTH, NO,
           "A command run in the container by 'systemctl reload' (ExecReload=); exclusive with ReloadSignal=.",
           .read = READ(LAST_ARGS),
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(RELOAD_SIGNAL, "ReloadSignal", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_reload, "--signal"), BOTH, NO,
           "A signal sent to the container by 'systemctl reload' (ExecReload=); exclusive with ReloadCmd=.",
           .conflicts = K(RELOAD_CMD),
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))

/* ---- what NixOS's and Guix's modules add (seeds 000, 001, 003) ---- */
OCI_OPTION(IMAGE_FILE, "ImageFile", OCI_IN(CONTAINER), OCI_TYPE_PATH, OCI_OPT_RELATIVE, NULL, NULL,
           RF(oci_key_image_load, "--input"), BOTH, NO,
           "An image archive loaded before every start (podman load, docker load), so nothing is pulled; with docker the image it loads is then tagged as Image= (docker tag), so docker run finds it whatever name the archive gives it; exclusive with ImageStream=.",
           .kube = KUBE_NONE("a cluster pulls images from a registry"))
OCI_OPTION(IMAGE_STREAM, "ImageStream", OCI_IN(CONTAINER), OCI_TYPE_PATH, OCI_OPT_RELATIVE, NULL, NULL,
           RF(oci_key_image_load, NULL), BOTH, NO,
           "A program that writes an image archive to its standard output, loaded before every start; exclusive with ImageFile=.",
           .conflicts = K(IMAGE_FILE),
           .kube = KUBE_NONE("a cluster pulls images from a registry"))
OCI_OPTION(LOG_FILE, "LogFile", OCI_IN(CONTAINER), OCI_TYPE_PATH, 0, NULL, NULL,
           RF(oci_key_log, NULL), BOTH, NO,
           "Append the service's output to this file instead of the journal: the container's (podman: --log-driver=passthrough), and the engine's own lines around starts and stops, as Guix's log-file; exclusive with LogDriver=.",
           .conflicts = K(LOG_DRIVER),
           .kube = KUBE_NONE("it is the engine's own setting, which a cluster leaves to its nodes"))
OCI_OPTION(RUN_AS, "RunAs", OCI_IN(CONTAINER), OCI_TYPE_OWNER, 0, NULL, NULL,
           RF(oci_podman_key_run_as, NULL), RF(oci_key_run_as, NULL), NO,
           "USER[:GROUP] that runs the engine: rootless podman from a system unit, or a docker client of that user.",
           .kube = KUBE_NONE("it says which host user runs the engine"))
OCI_OPTION(LOGIN_REGISTRY, "Registry", OCI_IN(LOGIN), OCI_TYPE_NAME, 0, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "The registry to log in to before the image is pulled.",
           .together = 1,
           .kube = KUBE_NONE("registry credentials are a Secret of the cluster (imagePullSecrets)"))
OCI_OPTION(LOGIN_USERNAME, "Username", OCI_IN(LOGIN), OCI_TYPE_NAME, 0, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "The user name of the login.",
           .together = 1,
           .kube = KUBE_NONE("registry credentials are a Secret of the cluster (imagePullSecrets)"))
OCI_OPTION(LOGIN_PASSWORD_FILE, "PasswordFile", OCI_IN(LOGIN), OCI_TYPE_PATH, OCI_OPT_RELATIVE, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "A file holding the password, given to the login on its standard input: it never appears on a command line or in the unit.",
           .together = 1,
           .kube = KUBE_NONE("registry credentials are a Secret of the cluster (imagePullSecrets)"))

/* ---- systemd-nspawn machines (seeds 002 and 004, NixOS containers) ---- */
OCI_OPTION(BOOT, "Boot", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           NO, NO, RF(oci_nspawn_key_boot, "--boot"),
           "Boot the image's init (--boot, and readiness when it is up). Default: yes, unless Exec= names a command.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(EPHEMERAL, "Ephemeral", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           NO, NO, R(FLAG_IF_TRUE, "--ephemeral"),
           "Run on a snapshot of the image that is thrown away when the machine stops.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(INTERFACE, "Interface", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           NO, NO, R(FLAG_VALUE, "--network-interface"),
           "A host network interface moved into the machine.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(MACVLAN, "MACVLAN", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           NO, NO, R(FLAG_VALUE, "--network-macvlan"),
           "A host interface the machine gets a MACVLAN interface on.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(IPVLAN, "IPVLAN", OCI_IN(CONTAINER), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           NO, NO, R(FLAG_VALUE, "--network-ipvlan"),
           "A host interface the machine gets an IPVLAN interface on.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(HOST_ADDRESS, "HostAddress", OCI_IN(CONTAINER), OCI_TYPE_ADDRESS_PREFIX, 0, NULL, NULL,
           NO, NO, RF(oci_nspawn_key_addresses, "HOST_ADDRESS"),
           "With Network=veth: the IPv4 address of the host's end of the veth, set after the start with ip on ve-NAME, the whole machine name (a name known only at start, from a specifier, systemd-nspawn gives that name as an alternative name if it is longer than an interface name); in the machine host0 gets a route to it and the default route through it. The machine also sees it as $HOST_ADDRESS.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(HOST_ADDRESS6, "HostAddress6", OCI_IN(CONTAINER), OCI_TYPE_ADDRESS_PREFIX, 0, NULL, NULL,
           NO, NO, RF(oci_nspawn_key_addresses, "HOST_ADDRESS6"),
           "The same for IPv6 ($HOST_ADDRESS6).",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(LOCAL_ADDRESS, "LocalAddress", OCI_IN(CONTAINER), OCI_TYPE_ADDRESS_PREFIX, 0, NULL, NULL,
           NO, NO, RF(oci_nspawn_key_addresses, "LOCAL_ADDRESS"),
           "With Network=veth, bridge: or zone: the machine's IPv4 address, set on its host0 after the start (ip, in the machine's network namespace) and given to it as $LOCAL_ADDRESS. With veth a single address, which the host routes to ve-NAME; with bridge: or zone: ADDRESS/PREFIX, as NixOS has it with a host bridge, for the bridge's network.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(LOCAL_ADDRESS6, "LocalAddress6", OCI_IN(CONTAINER), OCI_TYPE_ADDRESS_PREFIX, 0, NULL, NULL,
           NO, NO, RF(oci_nspawn_key_addresses, "LOCAL_ADDRESS6"),
           "The same for IPv6 ($LOCAL_ADDRESS6).",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(VIRTUAL_ETHERNET_EXTRA, "VirtualEthernetExtra", OCI_IN(CONTAINER), OCI_TYPE_VETH, OCI_OPT_LIST, NULL, NULL,
           NO, NO, RF(oci_nspawn_key_veth_extra, "--network-veth-extra"),
           "An extra veth pair, HOST[:MACHINE] (the machine's end named as the host's unless given), and what its ends get after the start, as NixOS's extraVeths: ,bridge=BRIDGE puts the host's end in that bridge; ,host-address=A and ,host-address6=A address the host's end (not with bridge=), which routes the machine's address to it; ,local-address=A[/PREFIX] and ,local-address6=A[/PREFIX] address the machine's end, with a /PREFIX only with bridge=. For example VirtualEthernetExtra=vx-web:eth1,bridge=br0,local-address=192.168.10.5/24.",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(LINK_JOURNAL, "LinkJournal", OCI_IN(CONTAINER), OCI_TYPE_CHOICE, 0, "try-guest", CHOICES("no", "host", "try-host", "guest", "try-guest", "auto"),
           NO, NO, R(FLAG_VALUE, "--link-journal"),
           "Whether the machine's journal shows on the host (journalctl -M).",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(RESOLV_CONF, "ResolvConf", OCI_IN(CONTAINER), OCI_TYPE_NAME, 0, NULL, NULL,
           NO, NO, R(FLAG_VALUE, "--resolv-conf"),
           "How the machine's /etc/resolv.conf is made: auto, copy-host, bind-static, off, ... (systemd-nspawn(1)).",
           .kube = KUBE_NONE("systemd-nspawn's only"))
OCI_OPTION(START_TIMEOUT, "StartTimeout", OCI_IN(CONTAINER), OCI_TYPE_TIMESPAN, 0, "1min", NULL,
           NO, NO, RF(oci_nspawn_key_start_timeout, NULL),
           "How long the machine may take to be ready (TimeoutStartSec= of the service).",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))

/* ---- [Network] and [Volume]: objects created before the containers that use them ---- */
OCI_OPTION(DRIVER, "Driver", OCI_IN(NETWORK) | OCI_IN(VOLUME), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--driver"), BOTH, NO,
           "The network or volume driver, for example bridge, macvlan, local or image.",
           .kube = KUBE_NONE("the cluster's network or storage class"))
OCI_OPTION(NETWORK_OPTIONS, "Options", OCI_IN(NETWORK), OCI_TYPE_KEYVALUE, OCI_OPT_LIST | OCI_OPT_BARE_KEYS, NULL, NULL,
           R(FLAG_VALUE, "--opt"), BOTH, NO,
           "Options of the network driver, as KEY=VALUE words (a KEY alone is an option without a value), for example mtu=1500 isolate=true.",
           .read = READ(KEYVAL),
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(NETWORK_DNS, "DNS", OCI_IN(NETWORK), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           R(FLAG_VALUE, "--dns"), NO, NO,
           "A DNS server the network's containers use (podman's DNS service forwards to it).",
           .podman = PODMAN_AFTER(4, 3),
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(SUBNET, "Subnet", OCI_IN(NETWORK), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           RF(oci_key_subnet, "--subnet"), BOTH, NO,
           "A subnet of the network, in CIDR notation.",
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(GATEWAY, "Gateway", OCI_IN(NETWORK), OCI_TYPE_ADDRESS, OCI_OPT_LIST, NULL, NULL,
           RF(oci_key_subnet, "--gateway"), BOTH, NO,
           "The gateway of the subnet in the same place of the Subnet= list.",
           .count_le = K(SUBNET),
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(IP_RANGE, "IPRange", OCI_IN(NETWORK), OCI_TYPE_NAME, OCI_OPT_LIST, NULL, NULL,
           RF(oci_key_subnet, "--ip-range"), BOTH, NO,
           "The range addresses are given from, for the subnet in the same place of the Subnet= list.",
           .count_le = K(SUBNET),
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(IPV6, "IPv6", OCI_IN(NETWORK), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--ipv6"), BOTH, NO,
           "Enable IPv6 on the network.",
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(INTERNAL, "Internal", OCI_IN(NETWORK), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--internal"), BOTH, NO,
           "No route out of the network.",
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(DISABLE_DNS, "DisableDNS", OCI_IN(NETWORK), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(FLAG_IF_TRUE, "--disable-dns"), NO, NO,
           "No DNS service on the network (containers do not find each other by name).",
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(INTERFACE_NAME, "InterfaceName", OCI_IN(NETWORK), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--interface-name"), NO, NO,
           "The network's interface on the host.",
           .podman = PODMAN_AFTER(4, 4),
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(IPAM_DRIVER, "IPAMDriver", OCI_IN(NETWORK), OCI_TYPE_NAME, 0, NULL, NULL,
           R(FLAG_VALUE, "--ipam-driver"), BOTH, NO,
           "The driver that hands out addresses.",
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(NETWORK_NAME, "NetworkName", OCI_IN(NETWORK), OCI_TYPE_NAME, OCI_OPT_NO_SPECIFIERS | OCI_OPT_ENGINE_NAME, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "The network's name for the engine. Default: systemd-NAME.",
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(NETWORK_DELETE_ON_STOP, "NetworkDeleteOnStop", OCI_IN(NETWORK), OCI_TYPE_BOOL, 0, NULL, NULL,
           RF(oci_key_network_delete, NULL), BOTH, NO,
           "Remove the network when its service stops.",
           .kube = KUBE_NONE("a .network is no Kubernetes object; its members reach each other by their Services' names"))
OCI_OPTION(VOLUME_NAME, "VolumeName", OCI_IN(VOLUME), OCI_TYPE_NAME, OCI_OPT_NO_SPECIFIERS | OCI_OPT_ENGINE_NAME, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "The volume's name for the engine. Default: systemd-NAME.",
           .kube = KUBE("metadata.name of the PersistentVolumeClaim (default: systemd-NAME, podman's name)"))
OCI_OPTION(VOLUME_USER, "User", OCI_IN(VOLUME), OCI_TYPE_UID, OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           RF(oci_key_volume_options, "uid="), BOTH, NO,
           "The owner of the volume's root directory: a UID, or a user name, looked up on this machine when the units are generated (the engine takes numbers only): uid= first in o=. A name that is not there is an error.",
           .kube = KUBE_NONE("the cluster's storage class makes the volume"))
OCI_OPTION(VOLUME_GROUP, "Group", OCI_IN(VOLUME), OCI_TYPE_GID, OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           RF(oci_key_volume_options, "gid="), BOTH, NO,
           "The group of the volume's root directory: a GID, or a group name looked up so: gid= in o=, after uid=.",
           .kube = KUBE_NONE("the cluster's storage class makes the volume"))
OCI_OPTION(VOLUME_IMAGE, "Image", OCI_IN(VOLUME), OCI_TYPE_IMAGE, 0, NULL, NULL,
           RF(oci_key_volume_options, "image="), BOTH, NO,
           "With Driver=image: the image whose contents the volume is (--opt image=IMAGE); NAME.image or NAME.build names "
           "the definition that pulls or builds it.",
           .ref = REF_ANY(SUFFIX, IMAGE, REQUIRES, OCI_UNIT_BIT(BUILD)), .goes_with = WHEN(DRIVER, "image"),
           .kube = KUBE_NONE("the cluster's storage class makes the volume"))
OCI_OPTION(DEVICE, "Device", OCI_IN(VOLUME), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_volume_options, "device="), BOTH, NO,
           "The device (or remote path) the volume mounts: --opt device=DEVICE.",
           .kube = KUBE_NONE("the cluster's storage class makes the volume"))
OCI_OPTION(TYPE, "Type", OCI_IN(VOLUME), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_volume_options, "type="), BOTH, NO,
           "The file system type of Device=, as mount -t takes it: --opt type=TYPE; needs Device=. With Type=bind the unit waits for Device='s file system (RequiresMountsFor=).",
           .kube = KUBE_NONE("the cluster's storage class makes the volume"))
OCI_OPTION(VOLUME_OPTIONS, "Options", OCI_IN(VOLUME), OCI_TYPE_NAME, 0, NULL, NULL,
           RF(oci_key_volume_options, "--opt"), BOTH, NO,
           "The mount options of Device=, as mount -o takes them, for example rw,compress=zstd: in o=, after uid= and gid=; needs Device=.",
           .kube = KUBE_NONE("the cluster's storage class makes the volume"))
OCI_OPTION(COPY, "Copy", OCI_IN(VOLUME), OCI_TYPE_BOOL, 0, NULL, NULL,
           RF(oci_key_volume_options, "--opt"), NO, NO,
           "Copy the image's files at the mount point into a new volume (podman's default: yes): --opt copy, or --opt nocopy.",
           .kube = KUBE_NONE("the cluster's storage class makes the volume"))

/* ---- [Pod]: podman pods, their containers started and stopped with them ---- */
OCI_OPTION(POD_NAME, "PodName", OCI_IN(POD), OCI_TYPE_NAME, OCI_OPT_NO_SPECIFIERS | OCI_OPT_ENGINE_NAME, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "The pod's name for podman, or its network's for docker. Default: systemd-NAME.",
           .kube = KUBE("metadata.name of the Pod and its Service (default: systemd-NAME, podman's name)"))
OCI_OPTION(EXIT_POLICY, "ExitPolicy", OCI_IN(POD), OCI_TYPE_CHOICE, 0, "stop", CHOICES("continue", "stop"),
           RF(oci_podman_key_exit_policy, "--exit-policy"), NO, NO,
           "What the pod does when its last container exits: continue, or stop (Quadlet's default; podman's own is continue).",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(POD_MEMBER_ALIASES, "MemberAliases", OCI_IN(POD), OCI_TYPE_BOOL, 0, "no", NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), NO,
           "Whether each member is known on the pod's networks as POD-CONTAINER (the member's file name), as the NixOS pod wrapper has it: with podman, podman pod create --network-alias for each member (podman takes network aliases only on the pod, and only with a bridge network: a network of Network=, or rootful podman's default). With docker every member has that alias.",
           .kube = KUBE_NONE("a Pod's containers reach each other at localhost"))
OCI_OPTION(POD_STOP_TIMEOUT, "StopTimeout", OCI_IN(POD), OCI_TYPE_INT, 0, "10", NULL,
           RF(oci_podman_key_pod_stop, "--time"), NO, NO,
           "Seconds the pod's containers get to stop before they are killed (podman pod stop --time=).",
           .kube = KUBE("spec.terminationGracePeriodSeconds"))
OCI_OPTION(START_WITH_POD, "StartWithPod", OCI_IN(CONTAINER), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(GENERIC, NULL), BOTH, NO,
           "With Pod=: whether starting the pod starts this container (default: yes): the pod's unit wants it and is ordered before it, as Quadlet writes it.",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))

/* ---- the service ---- */
OCI_OPTION(AUTO_START, "AutoStart", OCI_IN(CONTAINER) | OCI_IN(KUBE), OCI_TYPE_BOOL, 0, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Start at boot (WantedBy=multi-user.target, or default.target for user units). Default: yes, unless the file has an [Install] section.",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(DEPENDS_ON, "DependsOn", OCI_IN(CONTAINER), OCI_TYPE_REFS, OCI_OPT_LIST, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Another definition (NAME or NAME.container) this one needs: Requires= and After= on its service.",
           .ref = REF(WORD, CONTAINER, REQUIRES),
           .kube = KUBE_NONE("a cluster starts Pods in no order"))
OCI_OPTION(DEFAULT_DEPENDENCIES, "DefaultDependencies", OCI_IN(CONTAINER) | OCI_IN(QUADLET), OCI_TYPE_BOOL, 0, "yes", NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "With no, the unit does not wait for the network (network-online.target; network.target for nspawn).",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))

/* ---- [Install], carried out by the generator as symlinks ---- */
OCI_OPTION(WANTED_BY, "WantedBy", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Units that want this one: a symlink in UNIT.wants/.",
           .read = READ(WORDS),
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(REQUIRED_BY, "RequiredBy", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Units that require this one: a symlink in UNIT.requires/.",
           .read = READ(WORDS),
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(UPHELD_BY, "UpheldBy", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Units that uphold this one: a symlink in UNIT.upholds/.",
           .read = READ(WORDS),
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(DEFAULT_INSTANCE, "DefaultInstance", OCI_IN(INSTALL), OCI_TYPE_NAME, OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "For a template (NAME@.container): the instance that WantedBy= and AutoStart= enable.",
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))
OCI_OPTION(ALIAS, "Alias", OCI_IN(INSTALL), OCI_TYPE_UNITS, OCI_OPT_LIST | OCI_OPT_NO_SPECIFIERS | OCI_OPT_SUBDIRS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Other names of the service: symlinks beside it, or in a subdirectory of the output (DIR/NAME.service) as Quadlet makes them.",
           .read = READ(WORDS),
           .kube = KUBE_NONE("it says how systemd runs the service, which the cluster does instead"))

/* ---- [Defaults] in oci-containers.conf ---- */
OCI_OPTION(PUBLISH_ADDRESS, "PublishAddress", OCI_IN(DEFAULTS), OCI_TYPE_ADDRESS, 0, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The host address a PublishPort= without one is bound to (for example 127.0.0.1).",
           .kube = KUBE_NONE("a [Defaults] key"))
OCI_OPTION(VOLUME_BASE_DIR, "VolumeBaseDir", OCI_IN(DEFAULTS), OCI_TYPE_PATH, OCI_OPT_NO_SPECIFIERS, NULL, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Named volumes become bind mounts of BASE/SUBDIR/NAME, made on start (SUBDIR: VolumeSubDir=, else the file's name).",
           .kube = KUBE_NONE("a [Defaults] key"))
OCI_OPTION(PODMAN_PATH, "PodmanPath", OCI_IN(DEFAULTS), OCI_TYPE_PATH, OCI_OPT_NO_SPECIFIERS, PODMAN_PATH, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The podman binary.",
           .kube = KUBE_NONE("a [Defaults] key"))
OCI_OPTION(DOCKER_PATH, "DockerPath", OCI_IN(DEFAULTS), OCI_TYPE_PATH, OCI_OPT_NO_SPECIFIERS, DOCKER_PATH, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The docker binary.",
           .kube = KUBE_NONE("a [Defaults] key"))
OCI_OPTION(NSPAWN_PATH, "NspawnPath", OCI_IN(DEFAULTS), OCI_TYPE_PATH, OCI_OPT_NO_SPECIFIERS, NSPAWN_PATH, NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "The systemd-nspawn binary.",
           .kube = KUBE_NONE("a [Defaults] key"))
OCI_OPTION(STAND_IN_UNITS, "StandInUnits", OCI_IN(DEFAULTS), OCI_TYPE_BOOL, 0, "yes", NULL,
           R(GENERIC, NULL), R(GENERIC, NULL), R(GENERIC, NULL),
           "Whether a definition skipped for its errors leaves a failing unit of its name behind (see oci-containers-generator(8)); no does as Quadlet, which writes nothing for it.",
           .kube = KUBE_NONE("a [Defaults] key"))

/* ---- [Image], [Build], [Kube] and [Artifact], in a list of their own ---- */
#include "option-list-types.h"
