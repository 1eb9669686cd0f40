# orgradar: a small runtime image that runs as a non-root user.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin orgradar

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home orgradar \
 && mkdir -p /data && chown orgradar:orgradar /data
COPY --from=build /src/target/release/orgradar /usr/local/bin/orgradar
COPY app.yml /app/app.yml
WORKDIR /data
ENV ORGRADAR_CONFIG=/app/app.yml \
    HOST=0.0.0.0 \
    PORT=8080 \
    LOG_FORMAT=json \
    DATABASE_URL=sqlite:///data/orgradar.db
EXPOSE 8080
# A volume is mounted owned by root: hand /data to orgradar, then drop root for good.
ENTRYPOINT ["/bin/sh", "-c", "chown orgradar:orgradar /data 2>/dev/null; exec setpriv --reuid=orgradar --regid=orgradar --init-groups /usr/local/bin/orgradar \"$@\"", "orgradar"]
CMD ["serve"]
