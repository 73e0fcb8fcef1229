# nginx with the built SPA. Stage 1 builds frontend/ (Vite) into dist/; stage 2
# is nginx with nginx/ as its configuration.
#   docker build -f docker/nginx.Dockerfile -t igemoji-nginx .
FROM node:20.19.5-bookworm-slim AS spa
WORKDIR /src
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build

# >= 1.27.3: upstream `server … resolve` follows scaled replicas (nginx/conf.d/upstreams.conf).
FROM nginx:1.28.0-alpine
RUN rm -f /etc/nginx/conf.d/default.conf
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/conf.d/ /etc/nginx/conf.d/
COPY nginx/snippets/ /etc/nginx/snippets/
COPY --from=spa /src/dist/ /srv/igemoji/spa/
EXPOSE 80 8081
