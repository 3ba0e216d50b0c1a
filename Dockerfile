# appraise: built on the official .NET SDK image, shipped self-contained and trimmed (ReadyToRun)
# on the chiseled runtime-deps image: no shell, no package manager, non-root, read-only friendly.
# Why self-contained on runtime-deps rather than framework-dependent on the chiseled ASP.NET
# image: docs/container.md (measured: smaller image, same test results).
#
#   DOCKER_BUILDKIT=1 docker build --build-arg VERSION=1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) -t appraise .

# The bases are named literally: Dependabot updates literal FROM lines, not ARG-based ones.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH=amd64
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The .NET runtime identifier for the platform being built (buildx sets TARGETARCH per platform).
RUN case "$TARGETARCH" in amd64) echo linux-x64 ;; arm64) echo linux-arm64 ;; *) echo "unsupported: $TARGETARCH" >&2; exit 1 ;; esac > /rid

# Restore first, from project files only, so source edits reuse the cached restore layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Appraise.Api/Appraise.Api.csproj src/Appraise.Api/
RUN --mount=type=cache,id=appraise-nuget,target=/root/.nuget/packages \
    dotnet restore src/Appraise.Api/Appraise.Api.csproj -r "$(cat /rid)" -p:ContainerBuild=true

COPY model/housing/ model/housing/
COPY src/ src/
ARG VERSION=0.0.0-local
ARG COMMIT=unknown
RUN --mount=type=cache,id=appraise-nuget,target=/root/.nuget/packages \
    dotnet publish src/Appraise.Api/Appraise.Api.csproj -c Release -r "$(cat /rid)" --no-restore -p:ContainerBuild=true \
        -p:Version=${VERSION%%-*} -p:InformationalVersion=${VERSION}+${COMMIT} -o /app \
    && mkdir -p /data

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS final
ARG VERSION=0.0.0-local
ARG COMMIT=unknown
ARG CREATED=unknown
ARG SOURCE=https://github.com/appraise-dev/appraise
LABEL org.opencontainers.image.title="appraise" \
      org.opencontainers.image.description="House-price prediction service: seed-compatible API, gradient-boosted model, durable reports" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${COMMIT}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT"

# HTTP on 8080; the Open Inference Protocol over gRPC (plaintext HTTP/2) on 8081, KServe's port.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Grpc__Port=8081 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_RUNNING_IN_CONTAINER=true \
    Reports__DataDirectory=/data \
    APPRAISE_COMMIT=${COMMIT}

WORKDIR /app
# The application belongs to root and is read-only to the service; only /data is its own.
COPY --from=build --chown=0:0 /app /app
COPY --from=build --chown=1654:1654 /data /data
# Reports (SQLite) live here. Declared a volume, as official database images do, so a container
# run with --read-only and no mount still gets a writable (anonymous) volume; mount a named
# volume or a PersistentVolumeClaim to keep reports across containers.
VOLUME ["/data"]
USER 1654:1654
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=4s --start-period=10s --retries=3 CMD ["/app/Appraise.Api", "healthcheck"]
ENTRYPOINT ["/app/Appraise.Api"]
