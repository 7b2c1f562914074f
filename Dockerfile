# syntax=docker/dockerfile:1
# Covera: one image for both Fly process groups (app: `npm start`, worker: `node build/server/worker.js`)
# and the release command (`node build/server/migrate.js`).

# --- deps: every dependency, for the build ---------------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: Remix client/server bundles + esbuild bundles of the process entry points -------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# --- runtime: production dependencies and the built output only -----------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY tenants ./tenants
# Files stay owned by root (read-only for the app); the process runs as the image's unprivileged user.
USER node
EXPOSE 3000
CMD ["npm", "start"]
