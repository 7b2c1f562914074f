# syntax=docker/dockerfile:1
# Covera: one image for both Fly process groups (app: `npm start`, worker: `node build/server/worker.js`)
# and the release command (`node build/server/migrate.js`).
#
# scripts/image-check.ts reads this file and performs its steps without Docker (CI has no Docker
# engine): keep to the instructions it understands (ARG before FROM, FROM … AS, WORKDIR, ENV, COPY
# [--from], RUN, USER, EXPOSE, CMD in JSON form), or teach it the new one.

# Node 24 is the active LTS (supported until April 2028); Node 20 reached end of life in April 2026.
# The same version is installed from the npm registry by scripts/image-check.ts.
ARG NODE_VERSION=24.22.3

# --- deps: every dependency, for the build ---------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# npm ci runs the postinstall patch of Remix's router packages (decision 017): it needs its script.
COPY package.json package-lock.json ./
COPY scripts/patch-dependencies.mjs ./scripts/
RUN npm ci --no-audit --no-fund

# --- build: Remix client/server bundles + esbuild bundles of the process entry points -------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# --- runtime: production dependencies and the built output only -----------------------------------
# No devDependencies: embedded-postgres, the build tools and the test tools stay out of the image
# (scripts/build-server.mjs refuses a bundle that imports one).
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/patch-dependencies.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY tenants ./tenants
# Files stay owned by root (read-only for the app); the process runs as the image's unprivileged user.
USER node
EXPOSE 3000
CMD ["npm", "start"]
