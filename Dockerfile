# syntax=docker/dockerfile:1
# Build: compile the application (src/ and migrations/ only: no tests, benchmarks or scripts) with the dev
# dependencies, then drop them. The embedded PostgreSQL is a dev dependency, so the image has none of its
# binaries: the container needs DATABASE_URL (docker-compose.yml sets it).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:image && npm prune --omit=dev --no-audit --no-fund

# Run: production dependencies and compiled code, as the unprivileged "node" user.
# HOST defaults to 0.0.0.0 when DATABASE_URL is set.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
# The health check asks the port the service listens on: PORT, as the container sets it.
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/src/launch.js"]
