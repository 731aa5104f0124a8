# Jiebang API and worker (one image, two commands). Build: docker build -t jiebang .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs && npx vite build --config apps/console/vite.config.mts \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
USER node
# Prebuilt workflow bundle in production (no webpack at worker start).
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js CONSOLE_DIR=/app/dist/console
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
