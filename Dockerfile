# Build: docker build -t plan-billing .   (docker compose up does it for you)
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests && cp target/plan-billing-*.jar /app.jar

# the jar carries no embedded PostgreSQL: SPRING_DATASOURCE_URL, _USERNAME and _PASSWORD must come from the environment
# (docker-compose.yml sets them); without them the service refuses to start, naming them, with exit code 1
FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 billing
USER billing
COPY --from=build /app.jar /app/plan-billing.jar
EXPOSE 8080
# the README's production flags: the service stays inside 512 MB of RSS under the benchmark's load
ENTRYPOINT ["java", "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-Xss512k", "-XX:ReservedCodeCacheSize=64m", \
            "-XX:MaxMetaspaceSize=160m", "-jar", "/app/plan-billing.jar"]
