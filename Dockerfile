# Docstore: a compiled, production-only image. `docker build -t docstore .`
# Embedded default: `docker run -p 4000:4000 -v docstore-data:/data docstore`; server mode: see docker-compose.yml.
# Node 24 LTS (package.json engines: >= 22.13), the same major CI runs on.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# 1. Compile TypeScript (dev dependencies only live here).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY client ./client
COPY console ./console
RUN npm run build && npm run build:console

# 2. Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. The runtime: node as a non-root user under an init process (signals forwarded, zombies reaped).
FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data \
  && chown node:node /data
WORKDIR /app
ENV NODE_ENV=production \
    DOCSTORE_DATA_DIR=/data \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY prisma/migrations ./prisma/migrations
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
USER node
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
